package dev.mo.scheduler;

import dev.mo.model.Taints;
import dev.mo.model.Taints.Taint;
import dev.mo.model.Taints.Toleration;

import java.util.List;
import java.util.Optional;

/**
 * Kubernetes' TaintToleration plugin: a node's NoSchedule and NoExecute taints keep off every
 * pod that does not tolerate them all; its PreferNoSchedule taints only count against it.
 */
final class TaintToleration {
    private TaintToleration() {}

    /** Filter: the first NoSchedule or NoExecute taint the pod does not tolerate, if any. */
    static Optional<Taint> untolerated(List<Toleration> tolerations, List<Taint> taints) {
        return taints.stream()
                .filter(t -> Taints.NO_SCHEDULE.equals(t.effect()) || Taints.NO_EXECUTE.equals(t.effect()))
                .filter(t -> !Taints.tolerated(t, tolerations))
                .findFirst();
    }

    /** The kube-scheduler's reason, e.g. {@code node(s) had untolerated taint {dedicated: gpu}}. */
    static String misfit(Taint taint) { return "node(s) had untolerated taint " + taint; }

    /**
     * Score: how many PreferNoSchedule taints the pod does not tolerate (fewer is better; the
     * caller normalises). Only tolerations for that effect, or for every effect, count.
     */
    static long score(List<Toleration> tolerations, List<Taint> taints) {
        List<Toleration> soft = tolerations.stream()
                .filter(t -> t.effect().isEmpty() || Taints.PREFER_NO_SCHEDULE.equals(t.effect())).toList();
        return taints.stream()
                .filter(t -> Taints.PREFER_NO_SCHEDULE.equals(t.effect()) && !Taints.tolerated(t, soft))
                .count();
    }

    /** Whether the node lifecycle controller has already tainted this node for its Ready condition. */
    static boolean hasConditionTaint(List<Taint> taints) {
        return taints.stream().anyMatch(t -> Taints.NOT_READY.equals(t.key()) || Taints.UNREACHABLE.equals(t.key()));
    }
}

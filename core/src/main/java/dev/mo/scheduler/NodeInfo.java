package dev.mo.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Taints.Taint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler knows about one node when it places a pod: its state, its labels and
 * taints, its pods (active ones, per owner, for spreading; every pod bound and not finished,
 * for pod affinity and topology spread), what it can give ({@code status.allocatable}) and what the pods bound to
 * it and not finished already requested.
 */
public record NodeInfo(String name, boolean ready, boolean unschedulable, int pods, Map<String, Integer> podsPerOwner,
                       Resources allocatable, long maxPods, Resources requested, int boundPods,
                       Map<String, String> labels, List<Taint> taints, List<ObjectNode> assignedPods) {
    /** The label every agent (like every kubelet) gives its node: the node's name. */
    public static final String HOSTNAME = "kubernetes.io/hostname";

    /** A node with no resource limits (as when it reports no allocatable). */
    public NodeInfo(String name, boolean ready, boolean unschedulable, int pods, Map<String, Integer> podsPerOwner) {
        this(name, ready, unschedulable, pods, podsPerOwner, Resources.UNLIMITED, Long.MAX_VALUE, Resources.NONE, pods);
    }

    /** A node labelled with its hostname only, as an agent labels it, with no taints and no pods known by content. */
    public NodeInfo(String name, boolean ready, boolean unschedulable, int pods, Map<String, Integer> podsPerOwner,
                    Resources allocatable, long maxPods, Resources requested, int boundPods) {
        this(name, ready, unschedulable, pods, podsPerOwner, allocatable, maxPods, requested, boundPods,
                Map.of(HOSTNAME, name), List.of(), List.of());
    }

    /** The same node with more labels (the hostname label stays unless {@code more} sets it). */
    public NodeInfo withLabels(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(labels);
        all.putAll(more);
        return new NodeInfo(name, ready, unschedulable, pods, podsPerOwner, allocatable, maxPods, requested, boundPods,
                Map.copyOf(all), taints, assignedPods);
    }

    public NodeInfo withTaints(List<Taint> newTaints) {
        return new NodeInfo(name, ready, unschedulable, pods, podsPerOwner, allocatable, maxPods, requested, boundPods,
                labels, List.copyOf(newTaints), assignedPods);
    }

    public NodeInfo withPods(List<ObjectNode> newPods) {
        return new NodeInfo(name, ready, unschedulable, pods, podsPerOwner, allocatable, maxPods, requested, boundPods,
                labels, taints, List.copyOf(newPods));
    }
}

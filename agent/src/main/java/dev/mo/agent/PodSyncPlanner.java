package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Meta;
import dev.mo.runtime.ContainerInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides, without touching anything, what the agent must do so that the containers on this node
 * match the pods bound to it. Input: the pods, the containers observed, what the agent remembers
 * (back-offs, start failures, restart counts), and the time. Output: a list of {@link SyncAction}s,
 * including each pod's status. Being pure, every rule is tested with tables (PodSyncPlannerTest).
 *
 * <p>Rules, per container of a pod:
 * <ul>
 *   <li>no container yet: start run 0; the container vanished (removed by hand): start the next run;
 *   <li>running: nothing to do (the restart count continues from the {@code mo.restart-count} label,
 *       which is how a restarted agent adopts containers instead of restarting them), unless a
 *       liveness or startup probe failed for good: then kill it, and it restarts as an exited one;
 *   <li>exited: restart per {@code restartPolicy} (Always; OnFailure when the exit code is not 0;
 *       Never), once its {@link CrashLoopBackOff} delay has passed; meanwhile waiting CrashLoopBackOff;
 *   <li>a start that failed (missing ConfigMap, image pull) is retried at its {@link StartFailure#retryAt()};
 *   <li>older runs are removed, keeping the previous one for {@code lastState} and previous logs.
 * </ul>
 * A pod being deleted has its containers stopped and removed, then is reported terminated. A
 * container whose pod uid is not bound here is an orphan and is removed.
 */
public final class PodSyncPlanner {
    /** The pod and its grace period are gone, so orphans get the kubelet's minimum grace, 2 s. */
    public static final int ORPHAN_GRACE_SECONDS = 2;
    /** Kubernetes' default {@code terminationGracePeriodSeconds}. */
    public static final int DEFAULT_GRACE_SECONDS = 30;
    /** ErrImagePull shows right after a failed pull; after this it reads ImagePullBackOff until the retry. */
    public static final Duration ERR_IMAGE_PULL_SHOWN_FOR = Duration.ofSeconds(2);

    /**
     * Everything the plan depends on.
     *
     * @param hostIP              the agent's address, reported as the pod's hostIP
     * @param pods                pods bound to this node, deleting ones included
     * @param containers          containers labelled for this node
     * @param crashBackOff        the restart back-off of a container key ({@link Labels#key})
     * @param startFailures       the last failed start per container key
     * @param knownRestartCounts  highest restart count the agent saw per container key
     * @param podStartTimes       when the agent first acknowledged each pod (by uid)
     * @param lastStatuses        the status last reported per pod uid (keeps condition transition times)
     * @param terminatedPods      uids of deleting pods already reported terminated
     * @param readiness           whether a running container is ready
     * @param now                 the time
     */
    public record Input(String hostIP, List<ObjectNode> pods, List<ContainerInfo> containers,
                        Function<String, Optional<CrashLoopBackOff.Entry>> crashBackOff,
                        Map<String, StartFailure> startFailures, Map<String, Integer> knownRestartCounts,
                        Map<String, Instant> podStartTimes, Map<String, ObjectNode> lastStatuses,
                        Set<String> terminatedPods, ContainerReadiness readiness, Instant now) {}

    public List<SyncAction> plan(Input in) {
        Map<String, List<ContainerInfo>> byPod = new HashMap<>();
        for (ContainerInfo c : in.containers()) {
            byPod.computeIfAbsent(c.label(Labels.POD_UID), k -> new ArrayList<>()).add(c);
        }
        List<SyncAction> actions = new ArrayList<>();
        Set<String> boundUids = new HashSet<>();
        for (ObjectNode pod : in.pods()) {
            String uid = Meta.uid(pod);
            boundUids.add(uid);
            List<ContainerInfo> mine = byPod.getOrDefault(uid, List.of());
            if (Meta.deleting(pod)) {
                planDeletion(pod, mine, in, actions);
            } else {
                planPod(pod, mine, in, actions);
            }
        }
        for (ContainerInfo c : in.containers()) {
            if (!boundUids.contains(c.label(Labels.POD_UID))) {
                actions.add(new SyncAction.RemoveContainer(null, c, ORPHAN_GRACE_SECONDS, "orphan: its pod is not bound to this node"));
            }
        }
        return actions;
    }

    private static void planDeletion(ObjectNode pod, List<ContainerInfo> containers, Input in, List<SyncAction> actions) {
        if (!containers.isEmpty()) {
            actions.add(new SyncAction.KillPod(pod, containers, gracePeriod(pod)));
        } else if (!in.terminatedPods().contains(Meta.uid(pod))) {
            actions.add(new SyncAction.TerminatePod(pod));
        }
    }

    /**
     * The kubelet's rule: {@code metadata.deletionGracePeriodSeconds} when the delete set one (the
     * control plane copies the spec's, or a {@code --grace-period} override), else
     * {@code terminationGracePeriodSeconds} (30).
     */
    static int gracePeriod(ObjectNode pod) {
        int grace = Json.integer(pod, "spec.terminationGracePeriodSeconds", DEFAULT_GRACE_SECONDS);
        int deletionGrace = Json.integer(pod, "metadata.deletionGracePeriodSeconds", -1);
        return deletionGrace >= 0 ? deletionGrace : grace;
    }

    /** After a preStop hook, the container gets at least this long between SIGTERM and SIGKILL (the kubelet's minimum). */
    public static final int MINIMUM_GRACE_AFTER_HOOK_SECONDS = 2;

    /**
     * The seconds between SIGTERM and SIGKILL once the preStop hook took {@code hookTook}: what is left
     * of {@code grace} (whole seconds used, as the kubelet counts), but never less than
     * {@link #MINIMUM_GRACE_AFTER_HOOK_SECONDS} (or {@code grace} itself, when it is shorter).
     */
    static int remainingGrace(int grace, Duration hookTook) {
        long left = grace - Math.max(0, hookTook.toSeconds());
        return (int) Math.max(Math.min(grace, MINIMUM_GRACE_AFTER_HOOK_SECONDS), left);
    }

    private void planPod(ObjectNode pod, List<ContainerInfo> containers, Input in, List<SyncAction> actions) {
        String uid = Meta.uid(pod);
        Set<String> specNames = new HashSet<>();
        List<PodStatusBuilder.ContainerView> views = new ArrayList<>();
        for (JsonNode spec : pod.path("spec").path("containers")) {
            String name = spec.path("name").asText();
            specNames.add(name);
            List<ContainerInfo> runs = containers.stream()
                    .filter(c -> name.equals(c.label(Labels.CONTAINER)))
                    .sorted(Comparator.comparingInt(Labels::restartCount).thenComparing(ContainerInfo::createdAt,
                            Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                    .toList();
            ContainerInfo current = runs.isEmpty() ? null : runs.get(0);
            ContainerInfo previous = runs.size() > 1 && !runs.get(1).running() ? runs.get(1) : null;
            for (ContainerInfo old : runs.subList(Math.min(1, runs.size()), runs.size())) {
                if (old != previous) actions.add(new SyncAction.RemoveContainer(pod, old, 0, "superseded by a newer run"));
            }
            views.add(planContainer(pod, spec, current, previous, in, actions));
        }
        for (ContainerInfo c : containers) {
            if (!specNames.contains(c.label(Labels.CONTAINER))) {
                actions.add(new SyncAction.RemoveContainer(pod, c, ORPHAN_GRACE_SECONDS, "not in the pod's spec"));
            }
        }
        PodStatusBuilder.PodView podView = new PodStatusBuilder.PodView(pod, views, in.hostIP(),
                in.podStartTimes().getOrDefault(uid, in.now()), in.lastStatuses().get(uid), in.readiness(), in.now());
        actions.add(new SyncAction.ReportStatus(pod, PodStatusBuilder.status(podView), PodStatusBuilder.hostPorts(views)));
    }

    private PodStatusBuilder.ContainerView planContainer(ObjectNode pod, JsonNode spec, ContainerInfo current,
                                                         ContainerInfo previous, Input in, List<SyncAction> actions) {
        String name = spec.path("name").asText();
        String key = Labels.key(Meta.uid(pod), name);
        int lastRun = current != null ? Labels.restartCount(current) : lastKnownRun(pod, name, key, in);
        int shownRestartCount = Math.max(lastRun, 0);
        if (current != null && current.running()) {
            String failedProbe = in.readiness().failedProbe(pod, name, current);
            if (failedProbe != null) {
                String message = "Container " + name + " failed " + failedProbe + " probe"
                        + (shouldRestart(pod, current, true) ? ", will be restarted" : "");
                actions.add(new SyncAction.KillContainer(pod, current, probeGracePeriod(pod, spec, failedProbe), message));
            }
            return new PodStatusBuilder.ContainerView(spec, current, previous, shownRestartCount, null);
        }
        if (current != null && !shouldRestart(pod, current)) {
            return new PodStatusBuilder.ContainerView(spec, current, previous, shownRestartCount, null);
        }
        // From here on the container must (re)start: either it never ran, vanished, or exited and restarts.
        if (current != null) {
            Optional<CrashLoopBackOff.Entry> backOff = in.crashBackOff().apply(key);
            if (backOff.isPresent() && backOff.get().failureId().equals(current.id())
                    && in.now().isBefore(backOff.get().restartAt())) {
                String message = "back-off " + seconds(backOff.get().delay()) + " restarting failed container="
                        + name + " pod=" + podRef(pod);
                return new PodStatusBuilder.ContainerView(spec, null, current, shownRestartCount,
                        new PodStatusBuilder.Waiting("CrashLoopBackOff", message));
            }
        }
        // A restarting container's run is the "last state"; a vanished one left none to show.
        ContainerInfo last = current != null ? current : previous;
        StartFailure failure = in.startFailures().get(key);
        if (failure != null && in.now().isBefore(failure.retryAt())) {
            return new PodStatusBuilder.ContainerView(spec, null, last, shownRestartCount, waitingFor(failure, in.now()));
        }
        int nextRun = lastRun < 0 ? 0 : lastRun + 1;
        actions.add(new SyncAction.StartContainer(pod, spec, nextRun));
        PodStatusBuilder.Waiting waiting = failure != null ? waitingFor(failure, in.now())
                : new PodStatusBuilder.Waiting("ContainerCreating", null);
        return new PodStatusBuilder.ContainerView(spec, null, last, shownRestartCount, waiting);
    }

    /**
     * The last run of a container that has no Docker container now: what the agent saw, or what the
     * pod's status says (after an agent restart). -1 when it never ran.
     */
    private static int lastKnownRun(ObjectNode pod, String name, String key, Input in) {
        int known = in.knownRestartCounts().getOrDefault(key, -1);
        for (JsonNode cs : Json.at(pod, "status.containerStatuses")) {
            if (name.equals(cs.path("name").asText()) && !cs.path("containerID").asText("").isEmpty()) {
                known = Math.max(known, cs.path("restartCount").asInt(0));
            }
        }
        return known;
    }

    /**
     * The grace period of a kill by a failed probe: the probe's own {@code terminationGracePeriodSeconds}
     * when set, else the pod's (the kubelet's rule).
     */
    static int probeGracePeriod(ObjectNode pod, JsonNode containerSpec, String probe) {
        JsonNode probeGrace = containerSpec.path(probe + "Probe").path("terminationGracePeriodSeconds");
        return probeGrace.isNumber() ? probeGrace.asInt() : Json.integer(pod, "spec.terminationGracePeriodSeconds", DEFAULT_GRACE_SECONDS);
    }

    /** restartPolicy: Always restarts any exit, OnFailure only a non-zero one, Never none. */
    static boolean shouldRestart(ObjectNode pod, ContainerInfo exited) {
        return shouldRestart(pod, exited, false);
    }

    /** As above; {@code failed} forces "it failed" (a container killed by its liveness probe failed, whatever its exit code). */
    static boolean shouldRestart(ObjectNode pod, ContainerInfo exited, boolean failedAnyway) {
        String policy = Json.text(pod, "spec.restartPolicy");
        boolean failed = failedAnyway || exited.exitCode() != 0 || exited.oomKilled() || !exited.error().isEmpty();
        if ("Never".equals(policy)) return false;
        if ("OnFailure".equals(policy)) return failed;
        return true;
    }

    private static PodStatusBuilder.Waiting waitingFor(StartFailure f, Instant now) {
        if (StartFailure.ERR_IMAGE_PULL.equals(f.reason()) && !now.isBefore(f.failedAt().plus(ERR_IMAGE_PULL_SHOWN_FOR))) {
            return new PodStatusBuilder.Waiting(StartFailure.IMAGE_PULL_BACK_OFF, "Back-off pulling image \"" + f.image() + "\"");
        }
        return new PodStatusBuilder.Waiting(f.reason(), f.message());
    }

    /** {@code web-abc_default(uid)}: how the kubelet names a pod in messages. */
    public static String podRef(ObjectNode pod) {
        return Meta.name(pod) + "_" + Meta.namespace(pod) + "(" + Meta.uid(pod) + ")";
    }

    /** Go's duration format for whole durations: {@code 10s}, {@code 1m20s}, {@code 5m0s}. */
    public static String seconds(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + "s" : (s / 60) + "m" + (s % 60) + "s";
    }
}

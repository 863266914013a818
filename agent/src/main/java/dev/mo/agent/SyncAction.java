package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Meta;
import dev.mo.runtime.ContainerInfo;

import java.util.List;
import java.util.Map;

/**
 * One step the {@link PodSyncPlanner} asks the {@link NodeAgent} to take. Actions with the same
 * {@link #workKey()} (one pod, or one orphan container) run in order on one worker; different keys
 * run in parallel, so stopping a pod with a 30 s grace period does not hold up the others.
 */
public sealed interface SyncAction {

    /** The pod uid, or the container id for an orphan. */
    String workKey();

    /** Create and start run {@code restartCount} of {@code container} (its spec JSON). */
    record StartContainer(ObjectNode pod, JsonNode container, int restartCount) implements SyncAction {
        public String containerName() { return container.path("name").asText(); }
        public String workKey() { return Meta.uid(pod); }
    }

    /**
     * Stop (with {@code graceSeconds}) then remove a container nobody needs any more: an old run of
     * a restarted container, or an orphan whose pod is gone ({@code pod} null).
     */
    record RemoveContainer(ObjectNode pod, ContainerInfo container, int graceSeconds, String why) implements SyncAction {
        public String workKey() { return pod == null ? container.id() : Meta.uid(pod); }
    }

    /**
     * A liveness or startup probe failed: record {@code Killing} with {@code message} and stop the
     * container with {@code graceSeconds}. It then shows as exited and restarts like any crash.
     */
    record KillContainer(ObjectNode pod, ContainerInfo container, int graceSeconds, String message) implements SyncAction {
        public String workKey() { return Meta.uid(pod); }
    }

    /** The pod is being deleted: stop every container with its grace period, remove them, report it gone. */
    record KillPod(ObjectNode pod, List<ContainerInfo> containers, int graceSeconds) implements SyncAction {
        public String workKey() { return Meta.uid(pod); }
    }

    /** The pod is being deleted and has no container left: tell the control plane it may go. */
    record TerminatePod(ObjectNode pod) implements SyncAction {
        public String workKey() { return Meta.uid(pod); }
    }

    /** Report the pod's observed status and published ports (the agent skips it when unchanged). */
    record ReportStatus(ObjectNode pod, ObjectNode status, Map<String, String> hostPorts) implements SyncAction {
        public String workKey() { return Meta.uid(pod); }
    }
}

package dev.mo.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.runtime.ContainerInfo;

/**
 * What the probes say about a running container, as the planner and the status builder need it:
 * is it ready (receives traffic), has it started (its startup probe passed), and must it be killed
 * (a liveness or startup probe failed for good). {@link dev.mo.agent.probe.ProbeManager} answers
 * from the probes it runs; {@link #RUNNING_IS_READY} is the answer without probes.
 */
@FunctionalInterface
public interface ContainerReadiness {
    ContainerReadiness RUNNING_IS_READY = (pod, containerName, container) -> true;

    /** Called only for running containers. */
    boolean isReady(ObjectNode pod, String containerName, ContainerInfo container);

    /** {@code containerStatuses[].started}: no startup probe, or it passed. Called only for running containers. */
    default boolean isStarted(ObjectNode pod, String containerName, ContainerInfo container) {
        return true;
    }

    /**
     * {@code "liveness"} or {@code "startup"} when that probe failed {@code failureThreshold} times in
     * a row and the container must be killed; null while it is healthy. Called only for running containers.
     */
    default String failedProbe(ObjectNode pod, String containerName, ContainerInfo container) {
        return null;
    }
}

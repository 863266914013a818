package dev.mo.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.runtime.ContainerInfo;

/**
 * Decides whether a running container is ready to receive traffic. Until readiness probes exist a
 * running container is ready; the prober will implement this interface.
 */
@FunctionalInterface
public interface ContainerReadiness {
    ContainerReadiness RUNNING_IS_READY = (pod, containerName, container) -> true;

    /** Called only for running containers. */
    boolean isReady(ObjectNode pod, String containerName, ContainerInfo container);
}

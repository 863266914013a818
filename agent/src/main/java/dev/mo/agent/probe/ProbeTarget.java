package dev.mo.agent.probe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.runtime.ContainerInfo;

/**
 * Which container a probe runs against, and where to reach it.
 *
 * @param containerId   the engine's id (exec probes run there)
 * @param address       where httpGet and tcpSocket connect when the probe names no host
 * @param containerSpec the container's spec (its named ports)
 */
public record ProbeTarget(String containerId, String address, JsonNode containerSpec) {

    public static ProbeTarget of(ContainerInfo container, JsonNode containerSpec) {
        return new ProbeTarget(container.id(), address(container), containerSpec);
    }

    /**
     * Where the agent reaches a container. The kubelet probes the pod IP; here each container has its
     * own IP on its Docker network, reachable from the Docker host, and is probed on its container
     * port (not the published host port). The one place to change if containers move elsewhere.
     */
    static String address(ContainerInfo container) {
        return container.ipAddress();
    }

    /**
     * A probe's {@code port}: a number, or the name of one of the container's {@code ports}.
     *
     * @throws IllegalArgumentException with the probe failure's message when there is no such port
     */
    public int port(String numberOrName) {
        if (numberOrName.matches("\\d+")) return Integer.parseInt(numberOrName);
        for (JsonNode p : containerSpec.path("ports")) {
            if (numberOrName.equals(p.path("name").asText())) return p.path("containerPort").asInt();
        }
        throw new IllegalArgumentException("port \"" + numberOrName + "\" not found in container ports");
    }
}

package dev.mo.runtime;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to create one container.
 *
 * @param name           engine-wide unique name
 * @param image          image reference
 * @param command        replaces the image ENTRYPOINT when non-null (Kubernetes {@code command})
 * @param args           replaces the image CMD when non-null (Kubernetes {@code args})
 * @param env            environment, in order
 * @param workingDir     working directory, or null for the image's
 * @param hostname       the container's hostname (the pod name, as in Kubernetes)
 * @param labels         ownership labels, how the agent finds the container again
 * @param ports          ports to publish
 * @param publishAddress host IP the ports are published on (e.g. 127.0.0.1)
 * @param mounts         host files or directories mounted into the container
 */
public record ContainerSpec(String name, String image, List<String> command, List<String> args,
                            Map<String, String> env, String workingDir, String hostname,
                            Map<String, String> labels, List<PortSpec> ports, String publishAddress,
                            List<Mount> mounts) {
    public ContainerSpec {
        env = env == null ? Map.of() : env;
        labels = labels == null ? Map.of() : labels;
        ports = ports == null ? List.of() : ports;
        mounts = mounts == null ? List.of() : mounts;
    }

    /** A bind mount: {@code hostPath} on the engine's host appears at {@code containerPath}. */
    public record Mount(String hostPath, String containerPath, boolean readOnly) {}
}

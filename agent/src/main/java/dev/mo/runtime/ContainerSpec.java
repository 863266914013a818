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
 * @param mounts         host files or directories, or named volumes, mounted into the container
 * @param resources      CPU and memory settings for the engine ({@link Resources#NONE}: the engine's defaults)
 */
public record ContainerSpec(String name, String image, List<String> command, List<String> args,
                            Map<String, String> env, String workingDir, String hostname,
                            Map<String, String> labels, List<PortSpec> ports, String publishAddress,
                            List<Mount> mounts, Resources resources) {
    public ContainerSpec {
        env = env == null ? Map.of() : env;
        labels = labels == null ? Map.of() : labels;
        ports = ports == null ? List.of() : ports;
        mounts = mounts == null ? List.of() : mounts;
        resources = resources == null ? Resources.NONE : resources;
    }

    /**
     * Everything but the environment's values, which come from Secrets, and the command and args,
     * into which {@code $(VAR)} expands them: a spec that ends up in a log line or an exception
     * message must not carry them.
     */
    @Override
    public String toString() {
        return "ContainerSpec[name=" + name + ", image=" + image + ", command=" + itemCount(command) + ", args=" + itemCount(args)
                + ", env=" + env.keySet() + " (values not shown), workingDir=" + workingDir + ", hostname=" + hostname
                + ", labels=" + labels + ", ports=" + ports + ", publishAddress=" + publishAddress
                + ", mounts=" + mounts + ", resources=" + resources + "]";
    }

    private static String itemCount(List<String> list) {
        return list == null ? "null" : list.size() + " item(s)";
    }

    /** Without resource settings. */
    public ContainerSpec(String name, String image, List<String> command, List<String> args,
                         Map<String, String> env, String workingDir, String hostname,
                         Map<String, String> labels, List<PortSpec> ports, String publishAddress,
                         List<Mount> mounts) {
        this(name, image, command, args, env, workingDir, hostname, labels, ports, publishAddress, mounts, Resources.NONE);
    }

    /**
     * A mount. A bind mount ({@code volumeName} null): {@code hostPath} on the engine's host appears
     * at {@code containerPath}. A named volume ({@code hostPath} null): the engine's volume
     * {@code volumeName} (created when absent), or only its {@code subPath} when that is non-null.
     */
    public record Mount(String hostPath, String containerPath, boolean readOnly, String volumeName, String subPath) {
        public Mount(String hostPath, String containerPath, boolean readOnly) {
            this(hostPath, containerPath, readOnly, null, null);
        }

        /** A named volume of the engine (e.g. a PersistentVolumeClaim's), or only its {@code subPath} (null: all). */
        public static Mount volume(String volumeName, String subPath, String containerPath, boolean readOnly) {
            return new Mount(null, containerPath, readOnly, volumeName, subPath == null || subPath.isEmpty() ? null : subPath);
        }

        public boolean isVolume() { return volumeName != null; }
    }

    /**
     * Engine resource settings, as the kubelet computes them; null fields are left to the engine.
     *
     * @param cpuShares   relative CPU weight ({@code --cpu-shares})
     * @param cpuPeriod   CFS period in microseconds ({@code --cpu-period})
     * @param cpuQuota    CFS quota in microseconds per period ({@code --cpu-quota})
     * @param memoryBytes memory limit ({@code --memory}); swap is set to the same (no swap)
     */
    public record Resources(Long cpuShares, Long cpuPeriod, Long cpuQuota, Long memoryBytes) {
        public static final Resources NONE = new Resources(null, null, null, null);
    }
}

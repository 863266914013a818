package dev.mo.runtime;

/**
 * The engine's host as the Node object describes it.
 *
 * @param cpus         logical CPUs
 * @param memoryBytes  total memory
 * @param version      engine version, e.g. {@code 20.10.24}
 * @param osImage      human name of the host OS, e.g. {@code Debian GNU/Linux 12 (bookworm)}
 * @param architecture Go-style architecture as Kubernetes labels it: {@code amd64}, {@code arm64}
 * @param kernelVersion the host kernel, e.g. {@code 6.1.0-18-amd64}
 */
public record EngineInfo(int cpus, long memoryBytes, String version, String osImage, String architecture,
                         String kernelVersion) {

    /** Docker reports {@code x86_64}/{@code aarch64}; Kubernetes uses Go's names. */
    public static String goArchitecture(String engineArch) {
        if (engineArch == null) return "amd64";
        return switch (engineArch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "armv7l", "arm" -> "arm";
            default -> engineArch;
        };
    }
}

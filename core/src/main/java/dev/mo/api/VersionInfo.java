package dev.mo.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.util.Locale;

/**
 * mo's version, in the shape of Kubernetes' {@code version.Info} (what {@code GET /version}
 * answers and {@code kubectl version -o json} prints). Only the fields that mean something for
 * mo are filled: it has no Go version or compiler, and no build stamps (commit, date, tree state).
 */
public final class VersionInfo {
    public static final String VERSION = "0.1.0";

    private VersionInfo() {}

    /** {@code {major, minor, gitVersion, platform}}: "0", "1", "v0.1.0", "linux/amd64". */
    public static ObjectNode json() {
        String[] parts = VERSION.split("\\.");
        ObjectNode info = Json.object();
        info.put("major", parts[0]);
        info.put("minor", parts.length > 1 ? parts[1] : "0");
        info.put("gitVersion", "v" + VERSION);
        info.put("platform", platform());
        return info;
    }

    /** GOOS/GOARCH as Kubernetes names them (amd64, arm64), from the JVM's os.name and os.arch. */
    static String platform() {
        String os = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);
        if (os.startsWith("mac")) os = "darwin";
        else if (os.startsWith("windows")) os = "windows";
        String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
        arch = switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
        return os + "/" + arch;
    }
}

package dev.mo.runtime;

import java.util.Locale;

/** A container port to publish on the host; the engine picks the host port. */
public record PortSpec(int containerPort, String protocol) {
    public PortSpec {
        protocol = protocol == null ? "TCP" : protocol.toUpperCase(Locale.ROOT);
    }

    /** The key Kubernetes-style reports use: {@code 8080/TCP}. */
    public String key() { return containerPort + "/" + protocol; }
}

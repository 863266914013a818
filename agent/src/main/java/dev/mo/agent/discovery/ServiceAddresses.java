package dev.mo.agent.discovery;

import dev.mo.agent.HostCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts the Services' cluster IPs on this host, on an interface {@code mo0} of their own (as
 * kube-proxy's IPVS mode uses {@code kube-ipvs0}; a dummy interface, or an empty bridge where
 * the kernel has no dummy module), so that the node's proxy can listen on
 * them and containers reach them through their bridge's gateway. Needs root and the
 * {@code ip} command; without them it says so once and Services answer only through the
 * Ingress and node ports.
 */
public final class ServiceAddresses {
    private static final Logger log = LoggerFactory.getLogger(ServiceAddresses.class);
    static final String INTERFACE = "mo0";

    private final Set<String> present = new HashSet<>();
    private boolean available = true;
    private boolean interfaceReady;

    /** Makes the interface carry exactly these addresses; returns those that are there. */
    public synchronized Set<String> sync(Set<String> clusterIps) {
        if (!available) return Set.of();
        if (!interfaceReady) {
            // A dummy interface where the kernel has the module, else an empty bridge: either one
            // only has to own addresses.
            if (!run("ip", "link", "show", INTERFACE) && !run("ip", "link", "add", INTERFACE, "type", "dummy")
                    && !run("ip", "link", "add", INTERFACE, "type", "bridge")) {
                disable("cannot create interface " + INTERFACE + " (needs root and the ip command)");
                return Set.of();
            }
            run("ip", "link", "set", INTERFACE, "up");
            interfaceReady = true;
        }
        for (String ip : clusterIps) {
            if (present.contains(ip)) continue;
            // "File exists" means another agent on this host added it already: fine.
            run("ip", "addr", "add", ip + "/32", "dev", INTERFACE);
            present.add(ip);
        }
        for (String ip : new ArrayList<>(present)) {
            if (clusterIps.contains(ip)) continue;
            run("ip", "addr", "del", ip + "/32", "dev", INTERFACE);
            present.remove(ip);
        }
        return Set.copyOf(present);
    }

    private void disable(String why) {
        available = false;
        log.warn("Service cluster IPs are not reachable from containers on this node: {}", why);
    }

    private static boolean run(String... command) {
        HostCommand.Result r = HostCommand.run(List.of(command), null);
        if (!r.ok()) log.debug("{}: {}", String.join(" ", command), r.output());
        return r.ok();
    }
}

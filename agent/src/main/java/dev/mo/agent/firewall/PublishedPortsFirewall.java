package dev.mo.agent.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.agent.HostCommand;
import dev.mo.model.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps {@link PublishedPortsRules} in force on this host ({@code mo agent --firewall}): after
 * each heartbeat the agent hands it the Node objects, and when the set of other nodes'
 * addresses changed, the chain is loaded anew. The rules stay when the agent stops (its
 * containers keep running, and so does their protection); an agent started without the flag
 * removes them ({@link #removeLeftovers}). IPv4 only.
 */
public final class PublishedPortsFirewall {
    private static final Logger log = LoggerFactory.getLogger(PublishedPortsFirewall.class);

    private final String nodeAddress;
    private final int firstPort, lastPort;
    private final HostCommand.Runner host;
    private PublishedPortsRules applied;

    public PublishedPortsFirewall(String nodeAddress, HostCommand.Runner host) {
        this(nodeAddress, ephemeralPorts(), host);
    }

    PublishedPortsFirewall(String nodeAddress, int[] portRange, HostCommand.Runner host) {
        if (!isIpv4(nodeAddress)) throw new IllegalArgumentException("--firewall needs an IPv4 node address, not " + nodeAddress);
        this.nodeAddress = nodeAddress;
        this.firstPort = portRange[0];
        this.lastPort = portRange[1];
        this.host = host;
    }

    /** Loads the rules for these Node objects unless they are in force already; false when iptables refused. */
    public synchronized boolean sync(List<ObjectNode> nodes) {
        PublishedPortsRules wanted = new PublishedPortsRules(nodeAddress, peerAddresses(nodes), firstPort, lastPort);
        if (wanted.equals(applied)) return true;
        HostCommand.Result loaded = host.run(List.of("iptables-restore", "-w", "--noflush"), wanted.chain());
        if (!loaded.ok()) return failed("iptables-restore", loaded);
        if (!iptables("-L", PublishedPortsRules.DOCKER_USER, "-n").ok()) {
            iptables("-N", PublishedPortsRules.DOCKER_USER); // Docker adds it when it starts; made here if it has not yet
        }
        List<String> check = new ArrayList<>(List.of("-C", PublishedPortsRules.DOCKER_USER));
        check.addAll(wanted.jump());
        if (!iptables(check.toArray(String[]::new)).ok()) {
            List<String> insert = new ArrayList<>(List.of("-I", PublishedPortsRules.DOCKER_USER, "1"));
            insert.addAll(wanted.jump());
            HostCommand.Result r = iptables(insert.toArray(String[]::new));
            if (!r.ok()) return failed("iptables -I " + PublishedPortsRules.DOCKER_USER, r);
        }
        log.info("firewall: ports {}-{} published on {} are open to {} only (and this node)",
                firstPort, lastPort, nodeAddress, wanted.peers().isEmpty() ? "no other node" : String.join(", ", wanted.peers()));
        applied = wanted;
        return true;
    }

    /** Removes the jump and the chain an earlier agent with {@code --firewall} left, if any. */
    public static void removeLeftovers(HostCommand.Runner host) {
        HostCommand.Result listed = host.run(List.of("iptables", "-w", "-S", PublishedPortsRules.DOCKER_USER), null);
        if (!listed.ok() || !listed.output().contains("-j " + PublishedPortsRules.CHAIN)) return;
        for (String rule : listed.output().lines().toList()) {
            if (!rule.startsWith("-A " + PublishedPortsRules.DOCKER_USER + " ") || !rule.endsWith("-j " + PublishedPortsRules.CHAIN)) continue;
            List<String> delete = new ArrayList<>(List.of("iptables", "-w", "-D"));
            delete.addAll(List.of(rule.substring(3).split(" ")));
            host.run(delete, null);
        }
        host.run(List.of("iptables", "-w", "-F", PublishedPortsRules.CHAIN), null);
        host.run(List.of("iptables", "-w", "-X", PublishedPortsRules.CHAIN), null);
        log.info("firewall: removed the rules a node agent with --firewall left (this one runs without)");
    }

    /** The InternalIP addresses of the nodes (IPv4 ones: the rules are iptables', not ip6tables'). */
    static List<String> peerAddresses(List<ObjectNode> nodes) {
        List<String> out = new ArrayList<>();
        for (ObjectNode n : nodes) {
            for (JsonNode a : Json.at(n, "status.addresses")) {
                String address = a.path("address").asText("");
                if ("InternalIP".equals(a.path("type").asText()) && isIpv4(address)) out.add(address);
            }
        }
        return out;
    }

    /** The kernel's ephemeral port range, which Docker picks published ports from (32768-60999 unless changed). */
    static int[] ephemeralPorts() {
        try {
            String[] f = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return new int[]{Integer.parseInt(f[0]), Integer.parseInt(f[1])};
        } catch (IOException | RuntimeException e) {
            return new int[]{32768, 60999};
        }
    }

    private HostCommand.Result iptables(String... args) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w"));
        command.addAll(List.of(args));
        return host.run(command, null);
    }

    private boolean failed(String what, HostCommand.Result r) {
        log.warn("firewall: {} failed ({}): published ports of {} are not restricted", what, r.output(), nodeAddress);
        return false;
    }

    private static boolean isIpv4(String address) {
        if (address == null || !address.matches("[0-9.]+")) return false;
        try {
            return InetAddress.getByName(address) instanceof Inet4Address;
        } catch (IOException e) {
            return false;
        }
    }
}

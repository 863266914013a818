package dev.mo.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives a new Service what the API server gives it: a cluster IP from the service range and,
 * for NodePort and LoadBalancer Services, a node port from 30000-32767 for every port that has
 * none. Both stay with the Service for its whole life.
 *
 * <p>The range is kubeadm's default, 10.96.0.0/16 here: 10.96.0.1 is left out (as in Kubernetes,
 * it belongs to the API's own Service, {@code default/kubernetes}, see {@link SystemObjects}), so
 * the first Service gets 10.96.0.10-ish addresses after the ones taken. Agents put these addresses on their own host, so traffic to them never leaves
 * the machine it starts on.
 */
final class ServiceAllocator {
    static final int FIRST_IP = (10 << 24) | (96 << 16);   // 10.96.0.0
    static final int IP_COUNT = 1 << 16;                   // a /16
    static final int FIRST_NODE_PORT = 30000, LAST_NODE_PORT = 32767;

    private ServiceAllocator() {}

    /**
     * Fills in clusterIP, clusterIPs and missing nodePorts of a Service about to be written,
     * avoiding what {@code taken} (the stored Services and those written earlier in the same
     * apply) already hold.
     */
    static void allocate(ObjectNode service, List<ObjectNode> taken) {
        ObjectNode spec = Json.objectAt(service, "spec");
        Set<String> usedIps = new HashSet<>();
        Set<Integer> usedPorts = new HashSet<>();
        for (ObjectNode s : taken) {
            String ip = Json.text(s, "spec.clusterIP");
            if (ip != null) usedIps.add(ip);
            for (JsonNode p : Json.at(s, "spec.ports")) if (p.path("nodePort").isInt()) usedPorts.add(p.get("nodePort").asInt());
        }
        String given = Json.text(service, "spec.clusterIP");
        if (given == null || given.isEmpty()) {
            String ip = firstFreeIp(usedIps);
            spec.put("clusterIP", ip);
            spec.putArray("clusterIPs").add(ip);
        } else if (!spec.has("clusterIPs")) {
            spec.putArray("clusterIPs").add(given);
        }
        if (usesNodePorts(service)) {
            for (JsonNode p : Json.at(service, "spec.ports")) {
                if (p.path("nodePort").asInt(0) == 0) {
                    int port = firstFreePort(usedPorts);
                    ((ObjectNode) p).put("nodePort", port);
                    usedPorts.add(port);
                }
            }
        }
    }

    /**
     * What an update keeps from the stored Service when the manifest leaves it out: its cluster
     * IP, and its node ports while its type still uses them (a Service turned ClusterIP drops
     * them, as the API server does; one turned NodePort gets new ones from {@link #allocate}).
     */
    static void keepAllocations(ObjectNode existing, ObjectNode applied) {
        ObjectNode spec = Json.objectAt(applied, "spec");
        if (Json.text(applied, "spec.clusterIP") == null && Json.text(existing, "spec.clusterIP") != null) {
            spec.set("clusterIP", Json.at(existing, "spec.clusterIP"));
            spec.set("clusterIPs", Json.at(existing, "spec.clusterIPs"));
        }
        if (!usesNodePorts(applied)) return;
        for (JsonNode p : Json.at(applied, "spec.ports")) {
            if (p.path("nodePort").asInt(0) != 0) continue;
            for (JsonNode old : Json.at(existing, "spec.ports")) {
                if (old.path("port").asInt() == p.path("port").asInt() && old.path("nodePort").asInt(0) != 0) {
                    ((ObjectNode) p).put("nodePort", old.get("nodePort").asInt());
                }
            }
        }
    }

    static boolean usesNodePorts(ObjectNode service) {
        String type = Json.text(service, "spec.type");
        return "NodePort".equals(type) || "LoadBalancer".equals(type);
    }

    private static String firstFreeIp(Set<String> used) {
        for (int i = 10; i < IP_COUNT - 1; i++) {
            String ip = toDotted(FIRST_IP + i);
            if (!used.contains(ip)) return ip;
        }
        throw ApiError.invalid(List.of("no cluster IP left in 10.96.0.0/16"));
    }

    private static int firstFreePort(Set<Integer> used) {
        for (int p = FIRST_NODE_PORT; p <= LAST_NODE_PORT; p++) if (!used.contains(p)) return p;
        throw ApiError.invalid(List.of("no node port left in 30000-32767"));
    }

    static String toDotted(int ip) {
        return ((ip >>> 24) & 255) + "." + ((ip >>> 16) & 255) + "." + ((ip >>> 8) & 255) + "." + (ip & 255);
    }
}

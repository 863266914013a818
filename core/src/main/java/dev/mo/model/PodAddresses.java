package dev.mo.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stable virtual addresses that stand in for pod IPs behind a headless Service
 * ({@code clusterIP: None}), so that {@code web-1.web.shop.svc.cluster.local} names one pod.
 *
 * <p>A pod's Docker address is not reachable from other hosts (its ports are published on the
 * node's address), so each pod behind a headless Service gets an address from 10.244.0.0/16
 * that every node puts on {@code mo0} and serves with a TCP proxy to that pod alone. The
 * Endpoints controller chooses the address and records it on the Service's Endpoints as the
 * annotation {@value #ANNOTATION} ({@code {"web-0":"10.244.31.7", ...}}), so all nodes agree
 * and it survives a restart. The first choice is a hash of {@code namespace/service/pod}: a
 * pod made again under the same name (a StatefulSet's ordinal) gets the same address back.
 */
public final class PodAddresses {
    public static final String ANNOTATION = "mo.dev/pod-addresses";
    static final int FIRST = (10 << 24) | (244 << 16); // 10.244.0.0, the usual pod network of a cluster
    static final int COUNT = 1 << 16;

    private PodAddresses() {}

    /** Whether the Service is headless: its pods are named one by one instead of behind one cluster IP. */
    public static boolean headless(JsonNode service) {
        return "None".equals(Json.text(service, "spec.clusterIP"));
    }

    /** Pod name → address, as recorded on an Endpoints object; empty when there is none. */
    public static Map<String, String> of(JsonNode endpoints) {
        if (endpoints == null) return Map.of();
        String json = Json.stringMap(endpoints, "metadata.annotations").get(ANNOTATION);
        if (json == null || json.isBlank()) return Map.of();
        try {
            return Json.stringMap(Json.parse(json), "");
        } catch (RuntimeException malformed) {
            return Map.of();
        }
    }

    /** The pod an Endpoints subset stands for (mo writes one subset per pod), or null. */
    public static String podOf(JsonNode subset) {
        for (String list : new String[] {"addresses", "notReadyAddresses"}) {
            for (JsonNode a : subset.path(list)) {
                String name = a.path("targetRef").path("name").asText("");
                if (!name.isEmpty()) return name;
            }
        }
        return null;
    }

    /**
     * The addresses of a subset that get traffic and a name: the ready ones, and the not-ready
     * ones too when the Service sets {@code publishNotReadyAddresses}, as Kubernetes does.
     */
    public static List<JsonNode> served(JsonNode service, JsonNode subset) {
        List<JsonNode> out = new ArrayList<>();
        subset.path("addresses").forEach(out::add);
        if (Json.at(service, "spec.publishNotReadyAddresses").asBoolean(false)) subset.path("notReadyAddresses").forEach(out::add);
        return out;
    }

    /** Writes (or removes, when empty) the annotation. */
    public static void record(ObjectNode endpoints, Map<String, String> addresses) {
        ObjectNode meta = Json.objectAt(endpoints, "metadata");
        if (addresses.isEmpty()) {
            if (meta.path("annotations").isObject()) {
                ((ObjectNode) meta.get("annotations")).remove(ANNOTATION);
                if (meta.get("annotations").isEmpty()) meta.remove("annotations");
            }
            return;
        }
        ObjectNode json = Json.object();
        new TreeMap<>(addresses).forEach(json::put);
        Json.objectAt(meta, "annotations").put(ANNOTATION, json.toString());
    }

    /**
     * The address for a pod that has none yet: the hash of {@code namespace/service/pod} in the
     * range, or the next free one after it. {@code taken} holds every address given out already.
     */
    public static String allocate(String namespace, String service, String pod, Set<String> taken) {
        int usable = COUNT - 2; // neither 10.244.0.0 nor 10.244.255.255
        int start = Math.floorMod((namespace + "/" + service + "/" + pod).hashCode(), usable);
        for (int i = 0; i < usable; i++) {
            String ip = dotted(FIRST + 1 + Math.floorMod(start + i, usable));
            if (!taken.contains(ip)) return ip;
        }
        throw new IllegalStateException("no pod address left in 10.244.0.0/16");
    }

    static String dotted(int ip) {
        return ((ip >>> 24) & 255) + "." + ((ip >>> 16) & 255) + "." + ((ip >>> 8) & 255) + "." + (ip & 255);
    }
}

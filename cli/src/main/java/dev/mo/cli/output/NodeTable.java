package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get nodes}. */
final class NodeTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return KindTable.plusWide(wide, List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION"),
                List.of("INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"));
    }

    @Override
    public List<String> row(ObjectNode node, boolean wide, Clock clock) {
        List<String> base = List.of(str(node, "metadata.name"), status(node), orNone(String.join(",", roles(node))),
                age(node, clock), str(node, "status.nodeInfo.kubeletVersion"));
        return KindTable.plusWide(wide, base, List.of(address(node, "InternalIP"), address(node, "ExternalIP"),
                str(node, "status.nodeInfo.osImage", "<unknown>"),
                str(node, "status.nodeInfo.kernelVersion", "<unknown>"),
                str(node, "status.nodeInfo.containerRuntimeVersion", "<unknown>")));
    }

    /** Ready / NotReady from the Ready condition, Unknown without one, then {@code ,SchedulingDisabled}. */
    static String status(JsonNode node) {
        List<String> status = new ArrayList<>();
        for (JsonNode c : list(node, "status.conditions")) {
            if (str(c, "type").equals("Ready")) {
                status.clear();
                status.add(str(c, "status").equals("True") ? "Ready" : "NotReady");
            }
        }
        if (status.isEmpty()) status.add("Unknown");
        if (bool(node, "spec.unschedulable")) status.add("SchedulingDisabled");
        return String.join(",", status);
    }

    /** Sorted roles from {@code node-role.kubernetes.io/<role>} and {@code kubernetes.io/role} labels. */
    static List<String> roles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        Json.stringMap(node, "metadata.labels").forEach((k, v) -> {
            if (k.startsWith("node-role.kubernetes.io/")) {
                String role = k.substring("node-role.kubernetes.io/".length());
                if (!role.isEmpty()) roles.add(role);
            } else if (k.equals("kubernetes.io/role") && !v.isEmpty()) {
                roles.add(v);
            }
        });
        return new ArrayList<>(roles);
    }

    private static String address(JsonNode node, String type) {
        for (JsonNode a : list(node, "status.addresses")) {
            if (str(a, "type").equals(type)) return str(a, "address");
        }
        return "<none>";
    }
}

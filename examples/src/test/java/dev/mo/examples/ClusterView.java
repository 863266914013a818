package dev.mo.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the tests about nodes ask of a cluster, read through {@code mo get -o json} as a user would. */
final class ClusterView {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MoProcess mo;
    private final String namespace;

    ClusterView(MoProcess mo, String namespace) {
        this.mo = mo;
        this.namespace = namespace;
    }

    List<String> readyNodes() throws Exception {
        List<String> ready = new ArrayList<>();
        for (JsonNode n : items("nodes")) if (isReady(n)) ready.add(n.at("/metadata/name").asText());
        return ready;
    }

    /** Ready pods of the namespace not being deleted, counted per node. */
    Map<String, Integer> readyPodsByNode() throws Exception {
        Map<String, Integer> byNode = new TreeMap<>();
        for (JsonNode p : items("pods")) {
            if (p.at("/metadata/deletionTimestamp").isTextual()) continue;
            if (isReady(p)) byNode.merge(p.at("/spec/nodeName").asText(), 1, Integer::sum);
        }
        return byNode;
    }

    List<String> podsOn(String node) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode p : items("pods")) if (node.equals(p.at("/spec/nodeName").asText())) names.add(p.at("/metadata/name").asText());
        return names;
    }

    List<String> podNames() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode p : items("pods")) names.add(p.at("/metadata/name").asText());
        return names;
    }

    boolean podDeleting(String name) throws Exception {
        for (JsonNode p : items("pods")) {
            if (name.equals(p.at("/metadata/name").asText())) return p.at("/metadata/deletionTimestamp").isTextual();
        }
        return false;
    }

    /** The namespace's objects of a resource (nodes: all of them). */
    JsonNode items(String resource) throws Exception {
        MoProcess.Result r = resource.equals("nodes") ? mo.mo("get", "nodes", "-o", "json")
                : mo.mo("get", resource, "-n", namespace, "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        return JSON.readTree(r.out()).path("items");
    }

    private static boolean isReady(JsonNode object) {
        for (JsonNode c : object.at("/status/conditions")) {
            if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) return true;
        }
        return false;
    }
}

package dev.mo.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One pod's resource usage as a node agent measured it: per container, CPU in millicores
 * (averaged over {@code windowMillis} between two engine samples) and memory in bytes.
 */
public record PodMetrics(String namespace, String pod, Instant timestamp, long windowMillis, List<Container> containers) {

    public record Container(String name, long cpuMillis, long memoryBytes) {}

    public long cpuMillis() { return containers.stream().mapToLong(Container::cpuMillis).sum(); }

    public long memoryBytes() { return containers.stream().mapToLong(Container::memoryBytes).sum(); }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("namespace", namespace);
        o.put("pod", pod);
        o.put("timestamp", timestamp.toString());
        o.put("windowMillis", windowMillis);
        ArrayNode arr = o.putArray("containers");
        for (Container c : containers) {
            arr.addObject().put("name", c.name()).put("cpuMillis", c.cpuMillis()).put("memoryBytes", c.memoryBytes());
        }
        return o;
    }

    public static PodMetrics fromJson(JsonNode o) {
        List<Container> containers = new ArrayList<>();
        for (JsonNode c : o.path("containers")) {
            containers.add(new Container(c.path("name").asText(), c.path("cpuMillis").asLong(), c.path("memoryBytes").asLong()));
        }
        return new PodMetrics(o.path("namespace").asText(), o.path("pod").asText(),
                Instant.parse(o.path("timestamp").asText()), o.path("windowMillis").asLong(), List.copyOf(containers));
    }
}

package dev.mo.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.manifest.Quantity;
import dev.mo.model.Json;

/**
 * CPU (millicores) and memory (bytes): what a pod requests, what a node can give
 * ({@code status.allocatable}) and what its pods already requested.
 */
public record Resources(long cpuMillis, long memoryBytes) {
    public static final Resources NONE = new Resources(0, 0);
    /** For a Node that reports no allocatable (one written by hand): nothing is refused on its account. */
    public static final Resources UNLIMITED = new Resources(Long.MAX_VALUE, Long.MAX_VALUE);

    public Resources plus(Resources o) {
        return new Resources(saturated(cpuMillis + o.cpuMillis), saturated(memoryBytes + o.memoryBytes));
    }

    private Resources max(Resources o) {
        return new Resources(Math.max(cpuMillis, o.cpuMillis), Math.max(memoryBytes, o.memoryBytes));
    }

    /**
     * What the scheduler reserves for a pod, as Kubernetes computes it: the containers run
     * together, so their requests add up; init containers run one at a time before them, so
     * only the largest counts, unless it is larger than the containers' sum. A sidecar (an
     * init container with {@code restartPolicy: Always}) keeps running, so it adds to both.
     * Example: containers 100m + 200m, init containers 500m and 100m: 500m.
     */
    public static Resources podRequests(ObjectNode pod) {
        Resources containers = NONE;
        for (JsonNode c : Json.at(pod, "spec.containers")) containers = containers.plus(requests(c));
        Resources sidecars = NONE, init = NONE;
        for (JsonNode c : Json.at(pod, "spec.initContainers")) {
            if ("Always".equals(c.path("restartPolicy").asText())) {
                sidecars = sidecars.plus(requests(c));
                containers = containers.plus(requests(c));
                init = init.max(sidecars);
            } else {
                init = init.max(requests(c).plus(sidecars));
            }
        }
        return containers.max(init);
    }

    /** A node's {@code status.allocatable} cpu and memory; {@link #UNLIMITED} when it reports none. */
    public static Resources allocatable(ObjectNode node) {
        JsonNode a = Json.at(node, "status.allocatable");
        if (!a.isObject()) return UNLIMITED;
        return new Resources(quantity(a.path("cpu"), true, Long.MAX_VALUE), quantity(a.path("memory"), false, Long.MAX_VALUE));
    }

    /** A node's {@code status.allocatable.pods}: how many pods it takes; unlimited when it reports none. */
    public static long allocatablePods(ObjectNode node) {
        return quantity(Json.at(node, "status.allocatable.pods"), false, Long.MAX_VALUE);
    }

    private static Resources requests(JsonNode container) {
        JsonNode r = container.path("resources").path("requests");
        return new Resources(quantity(r.path("cpu"), true, 0), quantity(r.path("memory"), false, 0));
    }

    /** A quantity in millicores (cpu) or units; {@code absent} when missing or not a quantity (validation refuses those). */
    private static long quantity(JsonNode value, boolean millis, long absent) {
        if (value.isMissingNode() || value.isNull()) return absent;
        String text = value.asText();
        if (!Quantity.isValid(text)) return absent;
        try {
            return millis ? Quantity.parseMillis(text) : Quantity.parseBytes(text);
        } catch (IllegalArgumentException e) {
            return absent;
        }
    }

    private static long saturated(long sum) { return sum < 0 ? Long.MAX_VALUE : sum; }
}

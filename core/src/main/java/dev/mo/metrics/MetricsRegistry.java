package dev.mo.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.PodMetrics;
import dev.mo.model.Json;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest resource usage each node agent reported (metrics-server's role). Kept in memory
 * only: these are observations, re-measured every few seconds, not desired state. A node's
 * report older than {@link #STALE} is forgotten, so a dead node's pods show no metrics.
 */
public final class MetricsRegistry {
    public static final Duration STALE = Duration.ofMinutes(2);

    private record NodeReport(Instant receivedAt, List<PodMetrics> pods) {}

    private final Clock clock;
    private final Map<String, NodeReport> byNode = new ConcurrentHashMap<>();

    public MetricsRegistry(Clock clock) { this.clock = clock; }

    /** Replaces everything {@code nodeName} reported before. */
    public void report(String nodeName, List<PodMetrics> pods) {
        byNode.put(nodeName, new NodeReport(clock.instant(), List.copyOf(pods)));
    }

    private boolean fresh(NodeReport r) {
        return !r.receivedAt().plus(STALE).isBefore(clock.instant());
    }

    /** Every fresh pod measurement; {@code namespace} null for all namespaces. Sorted by namespace, name. */
    public List<PodMetrics> pods(String namespace) {
        List<PodMetrics> out = new ArrayList<>();
        byNode.values().stream().filter(this::fresh).forEach(r -> r.pods().stream()
                .filter(p -> namespace == null || namespace.equals(p.namespace())).forEach(out::add));
        out.sort(Comparator.comparing(PodMetrics::namespace).thenComparing(PodMetrics::pod));
        return out;
    }

    public Optional<PodMetrics> pod(String namespace, String name) {
        return pods(namespace).stream().filter(p -> p.pod().equals(name)).findFirst();
    }

    /** Node name → its pods' summed usage (fresh reports only), sorted by node name. */
    public Map<String, PodMetrics> nodes() {
        Map<String, PodMetrics> out = new java.util.TreeMap<>();
        byNode.forEach((node, r) -> {
            if (!fresh(r)) return;
            long cpu = r.pods().stream().mapToLong(PodMetrics::cpuMillis).sum();
            long mem = r.pods().stream().mapToLong(PodMetrics::memoryBytes).sum();
            Instant ts = r.pods().stream().map(PodMetrics::timestamp).max(Comparator.naturalOrder()).orElse(r.receivedAt());
            long window = r.pods().stream().mapToLong(PodMetrics::windowMillis).max().orElse(0);
            out.put(node, new PodMetrics(null, node, ts, window, List.of(new PodMetrics.Container("", cpu, mem))));
        });
        return out;
    }

    // ---- metrics.k8s.io shapes ------------------------------------------------------------

    /** {@code PodMetricsList} of metrics.k8s.io/v1beta1. */
    public ObjectNode podMetricsList(String namespace) {
        ObjectNode list = listOf("PodMetricsList");
        ArrayNode items = list.putArray("items");
        for (PodMetrics p : pods(namespace)) {
            ObjectNode item = items.addObject();
            ObjectNode meta = item.putObject("metadata");
            meta.put("name", p.pod());
            meta.put("namespace", p.namespace());
            item.put("timestamp", p.timestamp().toString());
            item.put("window", windowText(p.windowMillis()));
            ArrayNode containers = item.putArray("containers");
            for (PodMetrics.Container c : p.containers()) {
                ObjectNode co = containers.addObject();
                co.put("name", c.name());
                usage(co, c.cpuMillis(), c.memoryBytes());
            }
        }
        return list;
    }

    /** {@code NodeMetricsList} of metrics.k8s.io/v1beta1. */
    public ObjectNode nodeMetricsList() {
        ObjectNode list = listOf("NodeMetricsList");
        ArrayNode items = list.putArray("items");
        nodes().forEach((node, m) -> {
            ObjectNode item = items.addObject();
            item.putObject("metadata").put("name", node);
            item.put("timestamp", m.timestamp().toString());
            item.put("window", windowText(m.windowMillis()));
            usage(item, m.cpuMillis(), m.memoryBytes());
        });
        return list;
    }

    private static ObjectNode listOf(String kind) {
        ObjectNode list = Json.object();
        list.put("apiVersion", "metrics.k8s.io/v1beta1");
        list.put("kind", kind);
        list.putObject("metadata");
        return list;
    }

    private static void usage(ObjectNode parent, long cpuMillis, long memoryBytes) {
        ObjectNode usage = parent.putObject("usage");
        usage.put("cpu", cpuText(cpuMillis));
        usage.put("memory", memoryText(memoryBytes));
    }

    private static String windowText(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.3fs", millis / 1000.0);
    }

    /** {@code 250m}; whole cores without suffix, as Kubernetes' canonical form. */
    public static String cpuText(long millis) {
        return millis % 1000 == 0 && millis != 0 ? Long.toString(millis / 1000) : millis + "m";
    }

    /** {@code 12Mi}, {@code 512Ki}: the largest binary suffix that divides exactly, as Kubernetes prints. */
    public static String memoryText(long bytes) {
        String[] suffixes = {"Ki", "Mi", "Gi", "Ti"};
        String suffix = "";
        long v = bytes;
        for (String s : suffixes) {
            if (v == 0 || v % 1024 != 0) break;
            v /= 1024;
            suffix = s;
        }
        if (suffix.isEmpty() && bytes >= 1024) return (bytes / 1024) + "Ki"; // metrics-server reports in Ki
        return v + suffix;
    }
}

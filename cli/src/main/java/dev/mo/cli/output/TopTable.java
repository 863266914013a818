package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.manifest.Quantity;
import dev.mo.model.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code kubectl top pod} and {@code kubectl top node} tables (kubectl's TopCmdPrinter): CPU
 * in millicores ({@code 250m}), memory in mebibytes ({@code 12Mi}), every cell tab-terminated.
 */
public final class TopTable {
    private TopTable() {}

    /** {@code items} of a metrics.k8s.io PodMetricsList; per pod, the sum over its containers. */
    public static String pods(List<JsonNode> items, boolean withNamespace) {
        StringBuilder text = new StringBuilder();
        if (withNamespace) text.append("NAMESPACE\t");
        text.append("NAME\tCPU(cores)\tMEMORY(bytes)\t\n");
        for (JsonNode pod : items) {
            long cpu = 0, memory = 0;
            for (JsonNode c : pod.path("containers")) {
                cpu += Quantity.parseMillis(c.at("/usage/cpu").asText("0"));
                memory += Quantity.parseBytes(c.at("/usage/memory").asText("0"));
            }
            if (withNamespace) text.append(Json.text(pod, "metadata.namespace")).append('\t');
            text.append(Json.text(pod, "metadata.name")).append('\t').append(cpu).append("m\t")
                    .append(memory / (1024 * 1024)).append("Mi\t\n");
        }
        return trimLast(TabWriter.TABLE.format(text.toString()));
    }

    /**
     * {@code items} of a NodeMetricsList, with each node's allocatable cpu and memory for the
     * percentages; nodes without metrics are listed after, as {@code <unknown>}.
     */
    public static String nodes(List<JsonNode> items, Map<String, JsonNode> nodesByName) {
        StringBuilder text = new StringBuilder("NAME\tCPU(cores)\tCPU%\tMEMORY(bytes)\tMEMORY%\t\n");
        List<String> measured = new ArrayList<>();
        for (JsonNode m : items) {
            String name = Json.text(m, "metadata.name");
            measured.add(name);
            long cpu = Quantity.parseMillis(m.at("/usage/cpu").asText("0"));
            long memory = Quantity.parseBytes(m.at("/usage/memory").asText("0"));
            JsonNode node = nodesByName.get(name);
            long cpuAlloc = node == null ? 0 : Quantity.parseMillis(allocatable(node, "cpu"));
            long memAlloc = node == null ? 0 : Quantity.parseBytes(allocatable(node, "memory"));
            text.append(name).append('\t').append(cpu).append("m\t")
                    .append(cpuAlloc > 0 ? (cpu * 100 / cpuAlloc) + "%" : "<unknown>").append('\t')
                    .append(memory / (1024 * 1024)).append("Mi\t")
                    .append(memAlloc > 0 ? (memory * 100 / memAlloc) + "%" : "<unknown>").append("\t\n");
        }
        for (String name : nodesByName.keySet()) {
            if (!measured.contains(name)) text.append(name).append("\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n");
        }
        return trimLast(TabWriter.TABLE.format(text.toString()));
    }

    private static String allocatable(JsonNode node, String resource) {
        String v = Json.text(node, "status.allocatable." + resource);
        if (v == null) v = Json.text(node, "status.capacity." + resource);
        return v == null ? "0" : v;
    }

    private static String trimLast(String s) { return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s; }
}

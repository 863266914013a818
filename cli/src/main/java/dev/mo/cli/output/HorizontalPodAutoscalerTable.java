package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static dev.mo.cli.output.Fields.*;

/**
 * {@code kubectl get hpa}. autoscaling/v1 objects are read as the API server converts them to v2
 * ({@code targetCPUUtilizationPercentage} becomes a cpu metric); an HPA with no metrics gets the
 * server's default target, cpu 80%, and a missing minReplicas the default 1.
 */
final class HorizontalPodAutoscalerTable implements KindTable {
    private static final int DEFAULT_CPU_UTILIZATION = 80;

    @Override
    public List<String> headers(boolean wide) {
        return List.of("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE");
    }

    @Override
    public List<String> row(ObjectNode hpa, boolean wide, Clock clock) {
        String reference = str(hpa, "spec.scaleTargetRef.kind") + "/" + str(hpa, "spec.scaleTargetRef.name");
        return List.of(str(hpa, "metadata.name"), reference, targets(hpa),
                String.valueOf(num(hpa, "spec.minReplicas", 1)), String.valueOf(num(hpa, "spec.maxReplicas", 0)),
                String.valueOf(num(hpa, "status.currentReplicas", 0)), age(hpa, clock));
    }

    /** kubectl's {@code formatHPAMetrics}: {@code cpu: 45%/70%}, at most two, then {@code + N more...}. */
    static String targets(JsonNode hpa) {
        if (str(hpa, "apiVersion").equals("autoscaling/v1")) {
            long target = num(hpa, "spec.targetCPUUtilizationPercentage", DEFAULT_CPU_UTILIZATION);
            String current = has(hpa, "status.currentCPUUtilizationPercentage")
                    ? num(hpa, "status.currentCPUUtilizationPercentage", 0) + "%" : "<unknown>";
            return "cpu: " + current + "/" + target + "%";
        }
        List<JsonNode> specs = list(hpa, "spec.metrics");
        List<JsonNode> statuses = list(hpa, "status.currentMetrics");
        if (specs.isEmpty()) {
            String current = "<unknown>";
            if (!statuses.isEmpty() && has(statuses.get(0), "resource.current.averageUtilization")) {
                current = num(statuses.get(0), "resource.current.averageUtilization", 0) + "%";
            }
            return "cpu: " + current + "/" + DEFAULT_CPU_UTILIZATION + "%";
        }
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode spec = specs.get(i);
            JsonNode status = i < statuses.size() ? statuses.get(i) : null;
            shown.add(metric(spec, status));
        }
        int max = 2;
        if (shown.size() > max) {
            return String.join(", ", shown.subList(0, max)) + " + " + (shown.size() - max) + " more...";
        }
        return String.join(", ", shown);
    }

    private static String metric(JsonNode spec, JsonNode status) {
        switch (str(spec, "type")) {
            case "Resource", "ContainerResource": {
                String source = str(spec, "type").equals("Resource") ? "resource" : "containerResource";
                JsonNode s = spec.path(source);
                JsonNode current = status == null ? null : status.get(source);
                if (has(s, "target.averageValue")) {
                    String cur = current == null ? "<unknown>" : str(current, "current.averageValue");
                    return str(s, "name") + ": " + cur + "/" + str(s, "target.averageValue");
                }
                String cur = current != null && has(current, "current.averageUtilization")
                        ? num(current, "current.averageUtilization", 0) + "%" : "<unknown>";
                String target = has(s, "target.averageUtilization") ? num(s, "target.averageUtilization", 0) + "%" : "<auto>";
                return str(s, "name") + ": " + cur + "/" + target;
            }
            case "Pods": {
                String cur = status != null && status.has("pods") ? str(status, "pods.current.averageValue") : "<unknown>";
                return cur + "/" + str(spec, "pods.target.averageValue");
            }
            case "Object": {
                String cur = "<unknown>";
                if (has(spec, "object.target.averageValue")) {
                    if (status != null && status.has("object")) cur = str(status, "object.current.averageValue");
                    return cur + "/" + str(spec, "object.target.averageValue") + " (avg)";
                }
                if (status != null && status.has("object")) cur = str(status, "object.current.value");
                return cur + "/" + str(spec, "object.target.value");
            }
            case "External": {
                String cur = "<unknown>";
                if (has(spec, "external.target.averageValue")) {
                    if (status != null && status.has("external")) cur = str(status, "external.current.averageValue");
                    return cur + "/" + str(spec, "external.target.averageValue") + " (avg)";
                }
                if (status != null && status.has("external")) cur = str(status, "external.current.value");
                return cur + "/" + str(spec, "external.target.value");
            }
            default:
                return "<unknown type>";
        }
    }
}

package dev.mo.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.model.Json;

import java.util.Map;

/**
 * Kubernetes' NodeAffinity plugin: {@code spec.nodeSelector} and
 * {@code spec.affinity.nodeAffinity}, matched against the node's labels (and its name, for
 * {@code matchFields}).
 */
final class NodeAffinityRule {
    static final String MISFIT = "node(s) didn't match Pod's node affinity/selector";

    private NodeAffinityRule() {}

    /**
     * Filter: every nodeSelector key=value is among the node's labels, and when the pod has
     * required node affinity, at least one of its nodeSelectorTerms matches (terms are ORed).
     */
    static boolean fits(JsonNode pod, NodeInfo node) {
        for (Map.Entry<String, String> e : Json.stringMap(pod, "spec.nodeSelector").entrySet()) {
            if (!e.getValue().equals(node.labels().get(e.getKey()))) return false;
        }
        JsonNode required = Json.at(pod, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution");
        if (!required.isObject()) return true;
        for (JsonNode term : required.path("nodeSelectorTerms")) if (termMatches(term, node)) return true;
        return false; // no term (or none that matches): the pod fits no node, as in Kubernetes
    }

    /** Score: the sum of the weights of the preferred terms the node matches (normalised by the caller). */
    static long score(JsonNode pod, NodeInfo node) {
        long sum = 0;
        for (JsonNode p : Json.at(pod, "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution")) {
            if (termMatches(p.path("preference"), node)) sum += p.path("weight").asLong(0);
        }
        return sum;
    }

    /**
     * One term: all its matchExpressions (on labels) and matchFields (on {@code metadata.name})
     * hold. A term with neither matches no node.
     */
    static boolean termMatches(JsonNode term, NodeInfo node) {
        JsonNode expressions = term.path("matchExpressions"), fields = term.path("matchFields");
        if (expressions.isEmpty() && fields.isEmpty()) return false;
        for (JsonNode r : expressions) {
            if (!requirementMatches(r, node.labels().get(r.path("key").asText()))) return false;
        }
        for (JsonNode r : fields) {
            // metadata.name is the only field Kubernetes allows here
            String value = "metadata.name".equals(r.path("key").asText()) ? node.name() : null;
            if (!requirementMatches(r, value)) return false;
        }
        return true;
    }

    /**
     * One requirement on one value ({@code null}: the node has no such label). NotIn and
     * DoesNotExist match a node without the label; Gt and Lt compare integers, and a value
     * that is not one matches neither.
     */
    static boolean requirementMatches(JsonNode requirement, String value) {
        JsonNode values = requirement.path("values");
        return switch (requirement.path("operator").asText()) {
            case "In" -> value != null && contains(values, value);
            case "NotIn" -> value == null || !contains(values, value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt" -> compare(value, values) > 0;
            case "Lt" -> compare(value, values) < 0;
            default -> false;
        };
    }

    private static boolean contains(JsonNode values, String value) {
        for (JsonNode v : values) if (value.equals(v.asText())) return true;
        return false;
    }

    /** The sign of {@code value - values[0]} as integers; 0 (matching neither Gt nor Lt) when either is not one. */
    private static int compare(String value, JsonNode values) {
        if (value == null || values.size() != 1) return 0;
        try {
            return Long.compare(Long.parseLong(value), Long.parseLong(values.get(0).asText()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

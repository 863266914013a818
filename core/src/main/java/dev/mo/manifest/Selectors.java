package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Label selectors ({@code matchLabels} and {@code matchExpressions}): checking them and matching labels. */
final class Selectors {
    private Selectors() {}

    /** Checks a selector's shape; returns false when it is too broken to evaluate. */
    static boolean check(JsonNode selector, String path, Problems p) {
        boolean ok = true;
        MetadataRules.labelMap(Nodes.object(selector, "matchLabels"), path + ".matchLabels", p);
        List<JsonNode> expressions = Nodes.items(selector, "matchExpressions");
        for (int i = 0; i < expressions.size(); i++) {
            ok &= requirement(expressions.get(i), FieldLines.item(path + ".matchExpressions", i), false, p);
        }
        return ok;
    }

    /**
     * One requirement ({@code key}, {@code operator}, {@code values}) of a label selector, or of a
     * node selector term when {@code numeric} (which adds Gt and Lt, with exactly one integer
     * value); returns false when it is too broken to evaluate.
     */
    static boolean requirement(JsonNode e, String at, boolean numeric, Problems p) {
        String key = p.requiredText(e, "key", at + ".key");
        if (key != null) p.name(at + ".key", Names.qualifiedName(key));
        String operator = p.requiredText(e, "operator", at + ".operator");
        List<JsonNode> values = Nodes.items(e, "values");
        if (operator == null || key == null) return false;
        switch (operator) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) { p.error(at + ".values", "must have at least one value for operator " + operator); return false; }
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) { p.error(at + ".values", "must be empty for operator " + operator); return false; }
            }
            case "Gt", "Lt" -> {
                if (!numeric) return unknownOperator(at, operator, false, p);
                if (values.size() != 1) {
                    p.error(at + ".values", "must have exactly one value for operator " + operator);
                    return false;
                }
                if (!values.get(0).asText().matches("-?[0-9]+")) {
                    p.error(at + ".values[0]", "must be an integer for operator " + operator + ", got \"" + values.get(0).asText() + "\"");
                    return false;
                }
            }
            default -> { return unknownOperator(at, operator, numeric, p); }
        }
        return true;
    }

    private static boolean unknownOperator(String at, String operator, boolean numeric, Problems p) {
        if (numeric) p.oneOf(at + ".operator", operator, "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");
        else p.oneOf(at + ".operator", operator, "In", "NotIn", "Exists", "DoesNotExist");
        return false;
    }

    /** True when the selector selects nothing-in-particular, i.e. everything. */
    static boolean isEmpty(JsonNode selector) {
        JsonNode labels = Nodes.object(selector, "matchLabels");
        return (labels == null || labels.isEmpty()) && Nodes.items(selector, "matchExpressions").isEmpty();
    }

    /** Whether a (valid) selector selects an object with these labels. */
    static boolean matches(JsonNode selector, Map<String, String> labels) {
        return dev.mo.model.LabelSelector.fromJson(selector).matches(labels);
    }
}

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
            JsonNode e = expressions.get(i);
            String at = FieldLines.item(path + ".matchExpressions", i);
            String key = p.requiredText(e, "key", at + ".key");
            if (key != null) p.name(at + ".key", Names.qualifiedName(key));
            String operator = p.requiredText(e, "operator", at + ".operator");
            int values = Nodes.items(e, "values").size();
            if (operator == null || key == null) {
                ok = false;
            } else if (operator.equals("In") || operator.equals("NotIn")) {
                if (values == 0) { p.error(at + ".values", "must have at least one value for operator " + operator); ok = false; }
            } else if (operator.equals("Exists") || operator.equals("DoesNotExist")) {
                if (values > 0) { p.error(at + ".values", "must be empty for operator " + operator); ok = false; }
            } else {
                p.oneOf(at + ".operator", operator, "In", "NotIn", "Exists", "DoesNotExist");
                ok = false;
            }
        }
        return ok;
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

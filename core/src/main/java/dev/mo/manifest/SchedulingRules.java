package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the API server checks in the parts of a pod spec the scheduler reads:
 * {@code nodeSelector}, {@code tolerations}, {@code affinity} and {@code topologySpreadConstraints}.
 */
final class SchedulingRules {
    private SchedulingRules() {}

    static void check(JsonNode spec, String path, Problems p) {
        MetadataRules.labelMap(Nodes.object(spec, "nodeSelector"), path + ".nodeSelector", p);
        tolerations(spec, path + ".tolerations", p);
        JsonNode affinity = Nodes.object(spec, "affinity");
        nodeAffinity(Nodes.object(affinity, "nodeAffinity"), path + ".affinity.nodeAffinity", p);
        podAffinity(Nodes.object(affinity, "podAffinity"), path + ".affinity.podAffinity", p);
        podAffinity(Nodes.object(affinity, "podAntiAffinity"), path + ".affinity.podAntiAffinity", p);
        topologySpreadConstraints(spec, path + ".topologySpreadConstraints", p);
    }

    private static void tolerations(JsonNode spec, String path, Problems p) {
        List<JsonNode> tolerations = Nodes.items(spec, "tolerations");
        for (int i = 0; i < tolerations.size(); i++) {
            JsonNode t = tolerations.get(i);
            String at = FieldLines.item(path, i);
            String key = Nodes.text(t, "key"), operator = Nodes.text(t, "operator"), value = Nodes.text(t, "value");
            p.oneOf(at + ".operator", operator, "Exists", "Equal");
            p.oneOf(at + ".effect", Nodes.text(t, "effect"), "NoSchedule", "PreferNoSchedule", "NoExecute");
            if (key != null && !key.isEmpty()) p.name(at + ".key", Names.qualifiedName(key));
            else if (!"Exists".equals(operator)) p.error(at + ".operator", "must be Exists when key is empty (it then tolerates every taint)");
            if ("Exists".equals(operator) && value != null && !value.isEmpty()) {
                p.error(at + ".value", "must be empty when operator is Exists");
            } else if (value != null) {
                p.name(at + ".value", Names.labelValue(value));
            }
            if (Nodes.has(t, "tolerationSeconds") && !"NoExecute".equals(Nodes.text(t, "effect"))) {
                p.error(at + ".effect", "must be NoExecute when tolerationSeconds is set");
            }
        }
    }

    private static void nodeAffinity(JsonNode affinity, String path, Problems p) {
        JsonNode required = Nodes.object(affinity, "requiredDuringSchedulingIgnoredDuringExecution");
        if (required != null) {
            String terms = path + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
            List<JsonNode> list = Nodes.items(required, "nodeSelectorTerms");
            if (list.isEmpty() && !p.hasErrorAt(terms)) p.error(terms, "must have at least one node selector term");
            for (int i = 0; i < list.size(); i++) nodeSelectorTerm(list.get(i), FieldLines.item(terms, i), p);
        }
        preferred(affinity, path, "preference", SchedulingRules::nodeSelectorTerm, p);
    }

    /** matchExpressions on labels (with Gt and Lt); matchFields only on metadata.name, In or NotIn one value. */
    private static void nodeSelectorTerm(JsonNode term, String path, Problems p) {
        List<JsonNode> expressions = Nodes.items(term, "matchExpressions");
        for (int i = 0; i < expressions.size(); i++) {
            Selectors.requirement(expressions.get(i), FieldLines.item(path + ".matchExpressions", i), true, p);
        }
        List<JsonNode> fields = Nodes.items(term, "matchFields");
        for (int i = 0; i < fields.size(); i++) {
            JsonNode f = fields.get(i);
            String at = FieldLines.item(path + ".matchFields", i);
            String key = p.requiredText(f, "key", at + ".key");
            if (key != null && !key.equals("metadata.name")) p.error(at + ".key", "must be metadata.name, got \"" + key + "\"");
            String operator = p.requiredText(f, "operator", at + ".operator");
            p.oneOf(at + ".operator", operator, "In", "NotIn");
            if (Nodes.items(f, "values").size() != 1) p.error(at + ".values", "must have exactly one value for a field");
        }
    }

    private static void podAffinity(JsonNode affinity, String path, Problems p) {
        List<JsonNode> required = Nodes.items(affinity, "requiredDuringSchedulingIgnoredDuringExecution");
        for (int i = 0; i < required.size(); i++) {
            podAffinityTerm(required.get(i), FieldLines.item(path + ".requiredDuringSchedulingIgnoredDuringExecution", i), p);
        }
        preferred(affinity, path, "podAffinityTerm", SchedulingRules::podAffinityTerm, p);
    }

    private interface TermCheck { void check(JsonNode term, String path, Problems p); }

    /** Preferred terms, node or pod: a weight (required, 1-100) and the term itself under {@code termField} (required). */
    private static void preferred(JsonNode affinity, String path, String termField, TermCheck checkTerm, Problems p) {
        List<JsonNode> preferred = Nodes.items(affinity, "preferredDuringSchedulingIgnoredDuringExecution");
        for (int i = 0; i < preferred.size(); i++) {
            String at = FieldLines.item(path + ".preferredDuringSchedulingIgnoredDuringExecution", i);
            if (!Nodes.has(preferred.get(i), "weight")) p.required(at + ".weight");
            else p.range(at + ".weight", Nodes.integer(preferred.get(i), "weight"), 1, 100);
            JsonNode term = Nodes.object(preferred.get(i), termField);
            if (term == null) p.required(at + "." + termField);
            else checkTerm.check(term, at + "." + termField, p);
        }
    }

    /**
     * Each constraint: maxSkew above 0, a topologyKey, whenUnsatisfiable DoNotSchedule or
     * ScheduleAnyway, each (topologyKey, whenUnsatisfiable) pair once (a second one would say
     * the same thing again, or contradict it), minDomains above 0 and only for DoNotSchedule (a
     * score has no minimum to lower), the node inclusion policies Honor or Ignore, a valid
     * labelSelector, and matchLabelKeys only beside one, naming none of its keys.
     */
    private static void topologySpreadConstraints(JsonNode spec, String path, Problems p) {
        List<JsonNode> constraints = Nodes.items(spec, "topologySpreadConstraints");
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i < constraints.size(); i++) {
            JsonNode c = constraints.get(i);
            String at = FieldLines.item(path, i);
            if (!Nodes.has(c, "maxSkew")) p.required(at + ".maxSkew");
            else greaterThanZero(at + ".maxSkew", Nodes.integer(c, "maxSkew"), p);
            String key = p.requiredText(c, "topologyKey", at + ".topologyKey");
            String when = p.requiredText(c, "whenUnsatisfiable", at + ".whenUnsatisfiable");
            p.oneOf(at + ".whenUnsatisfiable", when, "DoNotSchedule", "ScheduleAnyway");
            if (key != null && when != null && !pairs.add(key + "\n" + when)) {
                p.error(at + ".topologyKey", "duplicate {topologyKey, whenUnsatisfiable} pair {" + key + ", " + when + "}");
            }
            if (Nodes.has(c, "minDomains")) {
                greaterThanZero(at + ".minDomains", Nodes.integer(c, "minDomains"), p);
                if (when != null && !when.equals("DoNotSchedule")) {
                    p.error(at + ".minDomains", "can only be set when whenUnsatisfiable is DoNotSchedule, got " + when);
                }
            }
            p.oneOf(at + ".nodeAffinityPolicy", Nodes.text(c, "nodeAffinityPolicy"), "Honor", "Ignore");
            p.oneOf(at + ".nodeTaintsPolicy", Nodes.text(c, "nodeTaintsPolicy"), "Honor", "Ignore");
            JsonNode selector = Nodes.object(c, "labelSelector");
            if (selector != null) Selectors.check(selector, at + ".labelSelector", p);
            matchLabelKeys(Nodes.items(c, "matchLabelKeys"), selector, at + ".matchLabelKeys", p);
        }
    }

    private static void greaterThanZero(String path, Long value, Problems p) {
        if (value != null && value < 1) p.error(path, "must be greater than 0, got " + value);
    }

    /** Keys whose values the pod's own labels add to the selector: label keys, not already in it, and a selector to add to. */
    private static void matchLabelKeys(List<JsonNode> keys, JsonNode selector, String path, Problems p) {
        if (keys.isEmpty()) return;
        if (selector == null) {
            p.error(path, "must not be set when labelSelector is not set");
            return;
        }
        Set<String> selectorKeys = new HashSet<>();
        JsonNode matchLabels = Nodes.object(selector, "matchLabels");
        if (matchLabels != null) matchLabels.fieldNames().forEachRemaining(selectorKeys::add);
        for (JsonNode e : Nodes.items(selector, "matchExpressions")) {
            String key = Nodes.text(e, "key");
            if (key != null) selectorKeys.add(key);
        }
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).isTextual()) continue;
            String key = keys.get(i).asText();
            p.name(FieldLines.item(path, i), Names.qualifiedName(key));
            if (selectorKeys.contains(key)) {
                p.error(FieldLines.item(path, i), "\"" + key + "\" exists in both matchLabelKeys and labelSelector");
            }
        }
    }

    /** A term names pods (labelSelector, namespaces) near a node; "near" needs a topologyKey. */
    private static void podAffinityTerm(JsonNode term, String path, Problems p) {
        String key = p.requiredText(term, "topologyKey", path + ".topologyKey");
        if (key != null) p.name(path + ".topologyKey", Names.qualifiedName(key));
        JsonNode selector = Nodes.object(term, "labelSelector");
        if (selector != null) Selectors.check(selector, path + ".labelSelector", p);
        List<JsonNode> namespaces = Nodes.items(term, "namespaces");
        for (int i = 0; i < namespaces.size(); i++) {
            p.name(FieldLines.item(path + ".namespaces", i), Names.dns1123Label(namespaces.get(i).asText()));
        }
    }
}

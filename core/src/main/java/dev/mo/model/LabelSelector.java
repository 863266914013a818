package dev.mo.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label selector, from a manifest ({@code matchLabels}, {@code matchExpressions}) or from
 * the command line ({@code -l app=web,tier!=db,env in (a,b),!legacy}), as Kubernetes reads them.
 */
public final class LabelSelector {
    private record Requirement(String key, String operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case "In", "=" -> v != null && values.contains(v);
                case "NotIn", "!=" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> false;
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) { this.requirements = requirements; }

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    /**
     * A selector from its JSON form ({@code spec.selector} of a Deployment). An empty one
     * selects everything here; callers that must refuse it (controllers) check {@link #isEmpty}.
     */
    public static LabelSelector fromJson(JsonNode selector) {
        List<Requirement> reqs = new ArrayList<>();
        if (selector == null || selector.isMissingNode() || selector.isNull()) return new LabelSelector(reqs);
        selector.path("matchLabels").fields().forEachRemaining(e ->
                reqs.add(new Requirement(e.getKey(), "In", Set.of(e.getValue().asText()))));
        for (JsonNode expr : selector.path("matchExpressions")) {
            Set<String> values = new java.util.HashSet<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            reqs.add(new Requirement(expr.path("key").asText(), expr.path("operator").asText(), values));
        }
        return new LabelSelector(reqs);
    }

    /** A Service's {@code spec.selector}: a plain map of labels that must all match. */
    public static LabelSelector fromMap(Map<String, String> labels) {
        List<Requirement> reqs = new ArrayList<>();
        labels.forEach((k, v) -> reqs.add(new Requirement(k, "In", Set.of(v))));
        return new LabelSelector(reqs);
    }

    private static final Pattern SET_EXPR = Pattern.compile("^\\s*([^\\s!=]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*$");

    /** Parses kubectl's {@code -l} syntax; throws IllegalArgumentException on bad input. */
    public static LabelSelector parse(String text) {
        List<Requirement> reqs = new ArrayList<>();
        if (text == null || text.isBlank()) return new LabelSelector(reqs);
        for (String part : splitTopLevel(text)) {
            String p = part.trim();
            Matcher m = SET_EXPR.matcher(p);
            if (m.matches()) {
                Set<String> values = new java.util.HashSet<>();
                for (String v : m.group(3).split(",")) if (!v.isBlank()) values.add(v.trim());
                reqs.add(new Requirement(m.group(1), m.group(2).equals("in") ? "In" : "NotIn", values));
            } else if (p.contains("!=")) {
                String[] kv = p.split("!=", 2);
                reqs.add(new Requirement(kv[0].trim(), "!=", Set.of(kv[1].trim())));
            } else if (p.contains("=")) {
                String[] kv = p.split("==?", 2);
                reqs.add(new Requirement(kv[0].trim(), "=", Set.of(kv[1].trim())));
            } else if (p.startsWith("!")) {
                reqs.add(new Requirement(p.substring(1).trim(), "DoesNotExist", Set.of()));
            } else if (!p.isEmpty() && p.matches("[A-Za-z0-9./_-]+")) {
                reqs.add(new Requirement(p, "Exists", Set.of()));
            } else {
                throw new IllegalArgumentException("unable to parse requirement: " + p);
            }
        }
        return new LabelSelector(reqs);
    }

    /** Splits on commas that are not inside parentheses. */
    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    public boolean isEmpty() { return requirements.isEmpty(); }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) if (!r.matches(labels)) return false;
        return true;
    }
}

package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.model.Json;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Small readers and formatters shared by the tables and the describers. */
final class Fields {
    private static final DateTimeFormatter RFC1123Z =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private Fields() {}

    /** Text at a dotted path, or "" when missing (Go's zero value). */
    static String str(JsonNode node, String path) {
        String s = Json.text(node, path);
        return s == null ? "" : s;
    }

    static String str(JsonNode node, String path, String fallback) {
        String s = str(node, path);
        return s.isEmpty() ? fallback : s;
    }

    static long num(JsonNode node, String path, long fallback) {
        JsonNode n = Json.at(node, path);
        return n.isNumber() ? n.asLong() : fallback;
    }

    static boolean bool(JsonNode node, String path) {
        return Json.at(node, path).asBoolean(false);
    }

    static boolean has(JsonNode node, String path) {
        JsonNode n = Json.at(node, path);
        return !n.isMissingNode() && !n.isNull();
    }

    /** The elements of the array at a path; empty when missing. */
    static List<JsonNode> list(JsonNode node, String path) {
        JsonNode n = path.isEmpty() ? node : Json.at(node, path);
        List<JsonNode> out = new ArrayList<>();
        if (n != null && n.isArray()) n.forEach(out::add);
        return out;
    }

    static String orNone(String s) {
        return s == null || s.isEmpty() ? "<none>" : s;
    }

    /** The age of the object's creationTimestamp. */
    static String age(JsonNode obj, Clock clock) {
        return HumanDuration.since(Json.text(obj, "metadata.creationTimestamp"), clock);
    }

    /** Go's {@code time.RFC1123Z} in the clock's zone: {@code Mon, 01 Jan 2024 10:00:00 +0000}. */
    static String rfc1123z(String timestamp, Clock clock) {
        var instant = HumanDuration.parse(timestamp);
        if (instant == null) return "Mon, 01 Jan 0001 00:00:00 +0000";
        return RFC1123Z.format(ZonedDateTime.ofInstant(instant, clock.getZone()));
    }

    /** {@code labels.FormatLabels}: sorted {@code k=v} pairs joined by commas, {@code <none>} when empty. */
    static String formatLabels(Map<String, String> labels) {
        if (labels.isEmpty()) return "<none>";
        List<String> pairs = new ArrayList<>();
        new TreeMap<>(labels).forEach((k, v) -> pairs.add(k + "=" + v));
        return String.join(",", pairs);
    }

    /**
     * A {@code metav1.LabelSelector} as {@code labels.Selector.String()}: requirements sorted by key,
     * {@code k=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k}, {@code !k}; "" when empty.
     */
    static String selector(JsonNode labelSelector) {
        TreeMap<String, List<String>> byKey = new TreeMap<>();
        Json.stringMap(labelSelector, "matchLabels").forEach((k, v) ->
                byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(k + "=" + v));
        for (JsonNode e : list(labelSelector, "matchExpressions")) {
            String key = str(e, "key");
            List<String> values = new ArrayList<>();
            e.path("values").forEach(v -> values.add(v.asText()));
            values.sort(null);
            String req = switch (str(e, "operator")) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> key + " " + str(e, "operator");
            };
            byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(req);
        }
        List<String> all = new ArrayList<>();
        byKey.values().forEach(all::addAll);
        return String.join(",", all);
    }

    /** {@code metav1.FormatLabelSelector}: like {@link #selector} but {@code <none>} when empty. */
    static String formatSelector(JsonNode labelSelector) {
        return orNone(selector(labelSelector));
    }

    /** Container names and images of a pod spec, comma-joined (kubectl's {@code layoutContainerCells}). */
    static String[] containerNamesAndImages(JsonNode podSpec) {
        List<String> names = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode c : list(podSpec, "containers")) {
            names.add(str(c, "name"));
            images.add(str(c, "image"));
        }
        return new String[] {String.join(",", names), String.join(",", images)};
    }

    /** Load balancer ingress IPs/hostnames joined by commas; cut to 13 chars + "..." past 16 unless wide. */
    static String loadBalancerIngress(JsonNode loadBalancerStatus, boolean wide) {
        List<String> parts = new ArrayList<>();
        for (JsonNode ing : list(loadBalancerStatus, "ingress")) {
            if (!str(ing, "ip").isEmpty()) parts.add(str(ing, "ip"));
            else if (!str(ing, "hostname").isEmpty()) parts.add(str(ing, "hostname"));
        }
        String result = String.join(",", parts);
        if (!wide && result.length() > 16) result = result.substring(0, 13) + "...";
        return result;
    }

    /** The {@code ownerReferences} entry with {@code controller: true}, as {@code Kind/name}; "" when none. */
    static String controlledBy(JsonNode obj) {
        for (JsonNode ref : list(obj, "metadata.ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) return str(ref, "kind") + "/" + str(ref, "name");
        }
        return "";
    }

    /** An int-or-string value as Go's {@code intstr.String()}. */
    static String intOrString(JsonNode n, String fallback) {
        if (n == null || n.isMissingNode() || n.isNull()) return fallback;
        return n.asText();
    }
}

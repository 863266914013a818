package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads that tolerate wrong types: a value of the wrong JSON type reads as absent.
 * The schema check has already reported the wrong type, so value rules stay quiet about it
 * instead of reporting the same field twice.
 */
final class Nodes {
    private Nodes() {}

    /** True when the field is present and not {@code null}. */
    static boolean has(JsonNode parent, String field) {
        return parent != null && parent.has(field) && !parent.get(field).isNull();
    }

    static String text(JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    static Long integer(JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n != null && n.isIntegralNumber() && n.canConvertToLong() ? n.asLong() : null;
    }

    /** The object at the field, or null when absent or not an object. */
    static JsonNode object(JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n != null && n.isObject() ? n : null;
    }

    /** The elements of a list field; empty when absent or not a list. */
    static List<JsonNode> items(JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (n != null && n.isArray()) n.forEach(out::add);
        return out;
    }

    /** A quantity field as text: quantities may be written as strings or plain numbers. */
    static String quantity(JsonNode value) {
        if (value == null) return null;
        if (value.isTextual()) return value.asText();
        if (value.isNumber()) return value.numberValue().toString();
        return null;
    }
}

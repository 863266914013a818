package dev.mo.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Objects are kept as JSON trees in Kubernetes' own shape, so what is applied, stored,
 * served and printed is the same document. These helpers read and build such trees.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, false);
    private static final ObjectMapper PRETTY = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    public static ObjectNode object() { return JsonNodeFactory.instance.objectNode(); }

    public static ArrayNode array() { return JsonNodeFactory.instance.arrayNode(); }

    public static ObjectNode parse(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (!(node instanceof ObjectNode o)) throw new IllegalArgumentException("expected a JSON object");
            return o;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + syntaxError(e), e);
        }
    }

    private static final java.util.regex.Pattern QUOTED_TOKEN = java.util.regex.Pattern.compile("'(?!(?:null|true|false)')[^']{2,}'");

    /**
     * The parser's complaint, where it is, and no more of the text than the one character it
     * stopped at: a text that fails to parse may hold a Secret's value (an unquoted password is
     * a token the parser would quote back in full).
     */
    public static String syntaxError(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        String withoutTokens = QUOTED_TOKEN.matcher(message).replaceAll("(not shown)");
        var at = e.getLocation();
        return withoutTokens + (at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Follows a dotted path ({@code spec.template.metadata}; "" is the root itself); a missing
     * step gives a missing node. A number step indexes an array: {@code spec.containers.0}.
     */
    public static JsonNode at(JsonNode root, String dottedPath) {
        if (dottedPath.isEmpty()) return root;
        JsonNode n = root;
        for (String part : dottedPath.split("\\.")) {
            if (n == null) break;
            n = n.isArray() && part.chars().allMatch(Character::isDigit) ? n.get(Integer.parseInt(part)) : n.get(part);
        }
        return n == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : n;
    }

    public static String text(JsonNode root, String dottedPath) {
        JsonNode n = at(root, dottedPath);
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    public static int integer(JsonNode root, String dottedPath, int fallback) {
        JsonNode n = at(root, dottedPath);
        return n.isNumber() ? n.asInt() : fallback;
    }

    /** The object at a dotted path, created (with every step) when missing. */
    public static ObjectNode objectAt(ObjectNode root, String dottedPath) {
        ObjectNode n = root;
        for (String part : dottedPath.split("\\.")) {
            JsonNode child = n.get(part);
            if (!(child instanceof ObjectNode)) {
                child = n.putObject(part);
            }
            n = (ObjectNode) child;
        }
        return n;
    }

    /** A string map ({@code metadata.labels}, {@code data}) as a Java map; empty when missing. */
    public static Map<String, String> stringMap(JsonNode root, String dottedPath) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode n = at(root, dottedPath);
        if (n.isObject()) n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    public static ObjectNode deepCopy(ObjectNode o) { return o.deepCopy(); }
}

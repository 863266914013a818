package dev.mo.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Kubernetes API types, read from {@code kubernetes-schema.txt} (next to this class).
 * Keeping the types in a short text file, one field per line, makes the schema easy to read
 * against the Kubernetes API reference and easy to extend; this class only parses it.
 */
final class Schema {
    /** The scalar and wildcard types; every other name refers to a type defined in the file. */
    static final Set<String> BUILT_IN = Set.of("string", "integer", "number", "boolean", "intOrString", "quantity",
            "object", "any");

    /**
     * The type of one field: a built-in ({@code string}), a defined type ({@code PodSpec}),
     * or a list ({@code [Container]}) / map ({@code {string}}) of an element type.
     */
    record FieldType(Shape shape, String name, FieldType element) {
        enum Shape { BUILT_IN, DEFINED, LIST, MAP }

        static FieldType parse(String text) {
            if (text.startsWith("[") && text.endsWith("]")) {
                return new FieldType(Shape.LIST, text, parse(text.substring(1, text.length() - 1)));
            }
            if (text.startsWith("{") && text.endsWith("}")) {
                return new FieldType(Shape.MAP, text, parse(text.substring(1, text.length() - 1)));
            }
            return new FieldType(BUILT_IN.contains(text) ? Shape.BUILT_IN : Shape.DEFINED, text, null);
        }
    }

    static final Schema KUBERNETES = load("kubernetes-schema.txt");

    /** Type name to its fields, in the order the file lists them. */
    private final Map<String, Map<String, FieldType>> types;

    private Schema(Map<String, Map<String, FieldType>> types) { this.types = types; }

    /** The top-level type of a kind in one apiVersion, e.g. {@code Deployment@apps/v1}; empty when not served. */
    Optional<FieldType> root(String kind, String apiVersion) {
        String name = kind + "@" + apiVersion;
        return types.containsKey(name) ? Optional.of(FieldType.parse(name)) : Optional.empty();
    }

    /** The fields of a defined type. */
    Map<String, FieldType> fields(String typeName) {
        Map<String, FieldType> fields = types.get(typeName);
        if (fields == null) throw new IllegalStateException("schema has no type " + typeName);
        return fields;
    }

    Set<String> typeNames() { return Collections.unmodifiableSet(types.keySet()); }

    static Schema load(String resource) {
        try (InputStream in = Schema.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the schema text; fails loudly on a malformed line, since that is a bug in mo, not in a manifest. */
    static Schema parse(String text) {
        Map<String, Map<String, FieldType>> types = new LinkedHashMap<>();
        Map<String, FieldType> current = null;
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            if (!Character.isWhitespace(line.charAt(0))) {
                if (!trimmed.endsWith(":")) throw new IllegalStateException("schema line " + lineNumber + ": expected 'Type:'");
                current = new LinkedHashMap<>();
                types.put(trimmed.substring(0, trimmed.length() - 1), current);
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            if (current == null || parts.length != 2) {
                throw new IllegalStateException("schema line " + lineNumber + ": expected 'field type'");
            }
            current.put(parts[0], FieldType.parse(parts[1]));
        }
        return new Schema(types);
    }
}

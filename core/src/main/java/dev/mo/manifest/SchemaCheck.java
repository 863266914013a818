package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.manifest.Schema.FieldType;

import java.util.Iterator;
import java.util.Map;

/**
 * Checks an object against the schema: every field must exist in its type (a typo such as
 * {@code imagee} is an error, as with {@code kubectl apply}'s strict field validation) and every
 * value must have the right JSON type. A {@code null} value means "not set" and is always fine.
 */
final class SchemaCheck {
    private final Schema schema;
    private final Problems problems;
    private final boolean showValues;

    private SchemaCheck(Schema schema, Problems problems, boolean showValues) {
        this.schema = schema;
        this.problems = problems;
        this.showValues = showValues;
    }

    static void check(JsonNode value, FieldType type, Schema schema, Problems problems) {
        check(value, type, schema, problems, true);
    }

    /** @param showValues false for a Secret: a wrong type is reported by its type alone, never its value */
    static void check(JsonNode value, FieldType type, Schema schema, Problems problems, boolean showValues) {
        new SchemaCheck(schema, problems, showValues).check(value, type, "");
    }

    private void check(JsonNode value, FieldType type, String path) {
        if (value == null || value.isNull()) return;
        switch (type.shape()) {
            case BUILT_IN -> checkBuiltIn(value, type.name(), path);
            case LIST -> {
                if (!value.isArray()) { wrongType(path, "must be a list", value); return; }
                for (int i = 0; i < value.size(); i++) check(value.get(i), type.element(), FieldLines.item(path, i));
            }
            case MAP -> {
                if (!value.isObject()) { wrongType(path, "must be an object", value); return; }
                value.fields().forEachRemaining(e -> check(e.getValue(), type.element(), FieldLines.child(path, e.getKey())));
            }
            case DEFINED -> checkDefined(value, schema.fields(type.name()), path);
        }
    }

    private void checkDefined(JsonNode value, Map<String, FieldType> fields, String path) {
        if (!value.isObject()) { wrongType(path, "must be an object", value); return; }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = FieldLines.child(path, field.getKey());
            FieldType fieldType = fields.get(field.getKey());
            if (fieldType == null) problems.error(fieldPath, "unknown field \"" + field.getKey() + "\"");
            else check(field.getValue(), fieldType, fieldPath);
        }
    }

    private void checkBuiltIn(JsonNode value, String type, String path) {
        switch (type) {
            case "string" -> { if (!value.isTextual()) wrongType(path, "must be a string", value); }
            case "integer" -> { if (!value.isIntegralNumber()) wrongType(path, "must be an integer", value); }
            case "number" -> { if (!value.isNumber()) wrongType(path, "must be a number", value); }
            case "boolean" -> { if (!value.isBoolean()) wrongType(path, "must be a boolean", value); }
            case "intOrString" -> {
                if (!value.isIntegralNumber() && !value.isTextual()) wrongType(path, "must be an integer or a string", value);
            }
            case "quantity" -> {
                if (!value.isNumber() && !value.isTextual()) {
                    wrongType(path, "must be a quantity such as \"500m\" or \"128Mi\"", value);
                }
            }
            case "object" -> { if (!value.isObject()) wrongType(path, "must be an object", value); }
            default -> { } // "any"
        }
    }

    private void wrongType(String path, String expected, JsonNode value) {
        // kubectl's YAML 1.1 reading makes a bare yes, no, on, off, y or n a boolean, which the API
        // server then refuses for a string field; saying so spares a search.
        String hint = value.isBoolean() && expected.contains("string")
                ? " (yes, no, on, off, y and n without quotes are booleans in YAML: quote the value)" : "";
        problems.error(path, expected + ", got " + (showValues ? describe(value) : describeType(value)) + hint);
    }

    /** {@code a string}, {@code a number}, {@code a boolean}, {@code an object}, {@code a list}. */
    static String describeType(JsonNode value) {
        if (value.isTextual()) return "a string";
        if (value.isNumber()) return "a number";
        if (value.isBoolean()) return "a boolean";
        return describe(value);
    }

    /** {@code string "3"}, {@code number 3.5}, {@code boolean true}, {@code an object}, {@code a list}. */
    static String describe(JsonNode value) {
        if (value.isTextual()) return "string \"" + value.asText() + "\"";
        if (value.isNumber()) return "number " + value.asText();
        if (value.isBoolean()) return "boolean " + value.asText();
        if (value.isObject()) return "an object";
        if (value.isArray()) return "a list";
        return value.getNodeType().toString().toLowerCase();
    }
}

package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * JSON as kubectl prints it with {@code -o json}: Go's {@code json.MarshalIndent(obj, "", "    ")},
 * i.e. four-space indent, {@code "key": value}, {@code []}/{@code {}} when empty, and Go's escaping
 * of {@code <}, {@code >} and {@code &} as {@code \u003c}, {@code \u003e}, {@code \u0026}.
 */
final class GoJson {
    private static final String INDENT = "    ";

    private GoJson() {}

    /** The document followed by a newline. */
    static String pretty(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, 0, out);
        return out.append('\n').toString();
    }

    private static void write(JsonNode node, int depth, StringBuilder out) {
        if (node.isObject()) {
            if (node.isEmpty()) { out.append("{}"); return; }
            out.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.append(INDENT.repeat(depth + 1));
                quote(field.getKey(), out);
                out.append(": ");
                write(field.getValue(), depth + 1, out);
                out.append(fields.hasNext() ? ",\n" : "\n");
            }
            out.append(INDENT.repeat(depth)).append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) { out.append("[]"); return; }
            out.append("[\n");
            for (int i = 0; i < node.size(); i++) {
                out.append(INDENT.repeat(depth + 1));
                write(node.get(i), depth + 1, out);
                out.append(i + 1 < node.size() ? ",\n" : "\n");
            }
            out.append(INDENT.repeat(depth)).append(']');
        } else if (node.isTextual()) {
            quote(node.asText(), out);
        } else {
            out.append(node.toString()); // numbers, booleans, null
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

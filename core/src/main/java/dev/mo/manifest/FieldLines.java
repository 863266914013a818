package dev.mo.manifest;

import java.util.HashMap;
import java.util.Map;

/** The lines of one parsed document's fields, filled in while the reader walks the text. */
final class FieldLines implements LineMap {
    private final Map<String, Integer> lines = new HashMap<>();

    void record(String fieldPath, int line) { lines.putIfAbsent(fieldPath, line); }

    @Override
    public int lineOf(String fieldPath) { return lines.getOrDefault(fieldPath, 0); }

    /**
     * The lines of a nested object as if it were a document of its own: {@code under("items[2]")}
     * maps {@code items[2].spec.replicas} to {@code spec.replicas}. Used for the items of a {@code kind: List}.
     */
    FieldLines under(String prefix) {
        FieldLines nested = new FieldLines();
        lines.forEach((path, line) -> {
            if (path.equals(prefix)) nested.record("", line);
            else if (path.startsWith(prefix + ".")) nested.record(path.substring(prefix.length() + 1), line);
        });
        return nested;
    }

    /** {@code spec} + {@code replicas} is {@code spec.replicas}; the document itself is the empty path. */
    static String child(String parent, String field) { return parent.isEmpty() ? field : parent + "." + field; }

    static String item(String parent, int index) { return parent + "[" + index + "]"; }
}

package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the errors and warnings for one object, turning a field path into a line.
 * A path that was not written in the file (a missing required field) gets the line of its
 * nearest written parent, so {@code spec.selector: required} points at {@code spec:}.
 */
final class Problems {
    private final String source;
    private final LineMap lines;
    final List<ManifestProblem> errors = new ArrayList<>();
    final List<ManifestProblem> warnings = new ArrayList<>();

    Problems(String source, LineMap lines) {
        this.source = source;
        this.lines = lines == null ? LineMap.NONE : lines;
    }

    void error(String fieldPath, String message) {
        errors.add(new ManifestProblem(source, lineOf(fieldPath), fieldPath, message));
    }

    void warning(String fieldPath, String message) {
        warnings.add(new ManifestProblem(source, lineOf(fieldPath), fieldPath, message));
    }

    /** True when an error was already reported at this exact path (e.g. a wrong type), to avoid saying it twice. */
    boolean hasErrorAt(String fieldPath) {
        return errors.stream().anyMatch(e -> fieldPath.equals(e.fieldPath()));
    }

    /** A warning shown under {@code shownPath} (e.g. with {@code []} for list elements) at the line of {@code linePath}. */
    void warningAt(String linePath, String shownPath, String message) {
        warnings.add(new ManifestProblem(source, lineOf(linePath), shownPath, message));
    }

    int lineOf(String fieldPath) {
        String path = fieldPath == null ? "" : fieldPath;
        while (true) {
            int line = lines.lineOf(path);
            if (line > 0 || path.isEmpty()) return line;
            path = parent(path);
        }
    }

    /** {@code a.b[2].c} → {@code a.b[2]} → {@code a.b} → {@code a} → {@code ""}. */
    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    // Small checks shared by the rule classes. Each takes a value already read with Nodes (null = absent).

    /** Reports a naming-rule message from {@link Names}, if any. */
    void name(String fieldPath, String message) {
        if (message != null) error(fieldPath, message);
    }

    void oneOf(String fieldPath, String value, String... allowed) {
        if (value == null) return;
        for (String a : allowed) if (a.equals(value)) return;
        error(fieldPath, "must be one of " + String.join(", ", allowed) + ", got \"" + value + "\"");
    }

    void range(String fieldPath, Long value, long min, long max) {
        if (value != null && (value < min || value > max)) {
            error(fieldPath, "must be between " + min + " and " + max + ", got " + value);
        }
    }

    void atLeast(String fieldPath, Long value, long min) {
        if (value != null && value < min) error(fieldPath, "must be greater than or equal to " + min + ", got " + value);
    }

    void required(String fieldPath) { error(fieldPath, "required"); }

    /**
     * Reads a required string field: reports "required" when it is absent or empty (a value of the wrong
     * type was already reported by the schema check) and returns the text, or null.
     */
    String requiredText(JsonNode parent, String field, String fieldPath) {
        String value = Nodes.text(parent, field);
        boolean missing = !Nodes.has(parent, field) || (value != null && value.isEmpty());
        if (missing) required(fieldPath);
        return missing ? null : value;
    }
}

package dev.mo.manifest;

/**
 * An error or warning about a manifest, pointing at the file, line and field it is about.
 *
 * @param source    file name as the user typed it, or null when the object did not come from a file
 * @param line      1-based line, or 0 when unknown
 * @param fieldPath field path such as {@code spec.template.spec.containers[0].image}; null or empty for the whole file
 * @param message   what is wrong, in words a user can act on
 */
public record ManifestProblem(String source, int line, String fieldPath, String message) {

    /** {@code deploy/web.yaml:12: spec.replicas: must be an integer, got string "3"}. */
    public String format() {
        StringBuilder out = new StringBuilder();
        if (source != null) {
            out.append(source);
            if (line > 0) out.append(':').append(line);
            out.append(": ");
        }
        if (fieldPath != null && !fieldPath.isEmpty()) out.append(fieldPath).append(": ");
        return out.append(message).toString();
    }

    @Override
    public String toString() { return format(); }
}

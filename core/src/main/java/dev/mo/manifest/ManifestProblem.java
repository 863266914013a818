package dev.mo.manifest;
public record ManifestProblem(String source, int line, String fieldPath, String message) {
    public String format() { return (source == null ? "" : source + ":" + (line > 0 ? line + ":" : "") + " ") + fieldPath + ": " + message; }
}

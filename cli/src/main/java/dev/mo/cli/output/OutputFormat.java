package dev.mo.cli.output;

/** The values {@code -o} accepts; no {@code -o} at all means {@link #TABLE}. */
public enum OutputFormat {
    TABLE, WIDE, NAME, JSON, YAML;

    /** Parses an {@code -o} value; null or empty gives {@link #TABLE}. */
    public static OutputFormat parse(String value) {
        if (value == null || value.isEmpty()) return TABLE;
        return switch (value) {
            case "wide" -> WIDE;
            case "name" -> NAME;
            case "json" -> JSON;
            case "yaml" -> YAML;
            default -> throw new IllegalArgumentException("error: unable to match a printer suitable for the output format \""
                    + value + "\", allowed formats are: json,name,wide,yaml");
        };
    }

    public boolean isTable() { return this == TABLE || this == WIDE; }
}

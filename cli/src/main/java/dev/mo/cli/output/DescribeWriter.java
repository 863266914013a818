package dev.mo.cli.output;

/**
 * kubectl's describe {@code PrefixWriter}: text written at an indent level (two spaces per level),
 * with tabs between a field and its value. {@link #result()} aligns the values with kubectl's
 * tabwriter settings (padding 2).
 */
final class DescribeWriter {
    private final StringBuilder text = new StringBuilder();

    /** Writes {@code s} after {@code level} indents; only the first line of {@code s} gets the indent. */
    DescribeWriter write(int level, String s) {
        text.append("  ".repeat(level)).append(s);
        return this;
    }

    /** Writes {@code Label:<tab>value} and a newline. */
    DescribeWriter field(int level, String label, Object value) {
        return write(level, label + ":\t" + value + "\n");
    }

    String result() {
        return TabWriter.DESCRIBE.format(text.toString());
    }
}

package dev.mo.cli.output;

import java.util.ArrayList;
import java.util.List;

/**
 * A port of Go's {@code text/tabwriter} (left-aligned, space padding), which kubectl uses for
 * both tables and describe. Text is lines of tab-terminated cells; the text after a line's
 * last tab is not part of any column. A column is aligned over consecutive lines that all
 * have a cell in it, so a line with fewer cells starts a new alignment block, exactly as in Go.
 */
final class TabWriter {
    /** {@code kubectl get}: minwidth 6, padding 3. */
    static final TabWriter TABLE = new TabWriter(6, 3);
    /** {@code kubectl describe}: minwidth 0, padding 2. */
    static final TabWriter DESCRIBE = new TabWriter(0, 2);

    private final int minWidth;
    private final int padding;

    TabWriter(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    String format(String text) {
        List<String[]> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) lines.add(line.split("\t", -1));
        StringBuilder out = new StringBuilder();
        format(out, lines, 0, lines.size(), new ArrayList<>());
        return out.toString();
    }

    private void format(StringBuilder out, List<String[]> lines, int line0, int line1, List<Integer> widths) {
        int column = widths.size();
        for (int row = line0; row < line1; row++) {
            if (column >= lines.get(row).length - 1) continue;
            // a block of lines that all have a cell in this column starts here
            writeLines(out, lines, line0, row, widths);
            line0 = row;
            int width = minWidth;
            for (; row < line1; row++) {
                String[] line = lines.get(row);
                if (column >= line.length - 1) break;
                width = Math.max(width, width(line[column]) + padding);
            }
            widths.add(width);
            format(out, lines, line0, row, widths);
            widths.remove(widths.size() - 1);
            line0 = row;
        }
        writeLines(out, lines, line0, line1, widths);
    }

    private static void writeLines(StringBuilder out, List<String[]> lines, int from, int to, List<Integer> widths) {
        for (int i = from; i < to; i++) {
            String[] cells = lines.get(i);
            for (int j = 0; j < cells.length; j++) {
                out.append(cells[j]);
                if (j < widths.size()) out.append(" ".repeat(Math.max(0, widths.get(j) - width(cells[j]))));
            }
            if (i + 1 < lines.size()) out.append('\n');
        }
    }

    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}

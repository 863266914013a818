package dev.mo.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as Kubernetes' tools take them ({@code --timeout 90s}, {@code --pod-eviction-timeout 5m}). */
final class GoDuration {
    private GoDuration() {}

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    /** Go's duration syntax as kubectl's --timeout takes it: {@code 90s}, {@code 1m30s}, {@code 0}; a bare number is seconds. */
    static Duration parse(String text) {
        String s = text.trim();
        if (s.matches("\\d+")) return Duration.ofSeconds(Long.parseLong(s));
        Matcher m = PART.matcher(s);
        int end = 0;
        double millis = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            millis += v * switch (m.group(2)) {
                case "h" -> 3_600_000;
                case "m" -> 60_000;
                case "s" -> 1000;
                default -> 1;
            };
            end = m.end();
        }
        if (end == 0 || end != s.length()) throw new CliError("invalid duration \"" + text + "\" (use e.g. 30s, 5m, 1h)");
        return Duration.ofMillis((long) millis);
    }
}

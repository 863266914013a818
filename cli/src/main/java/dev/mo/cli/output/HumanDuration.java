package dev.mo.cli.output;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Ages as kubectl prints them: a port of {@code HumanDuration} from
 * k8s.io/apimachinery/pkg/util/duration, which keeps two or three significant figures
 * ({@code 45s}, {@code 3m20s}, {@code 15m}, {@code 3h5m}, {@code 20h}, {@code 2d3h}, {@code 45d}, {@code 2y100d}).
 */
public final class HumanDuration {
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private HumanDuration() {}

    public static String format(Duration d) {
        long nanos = d.toNanos();
        long seconds = nanos / SECOND; // truncates toward zero, as Go's int(d.Seconds())
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 60 * 2) return seconds + "s";

        long minutes = nanos / MINUTE;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        }
        if (minutes < 60 * 3) return minutes + "m";

        long hours = nanos / HOUR;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        }
        if (hours < 48) return hours + "h";
        if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        }
        if (hours < 24 * 365 * 2) return hours / 24 + "d";
        if (hours < 24 * 365 * 8) {
            long days = (hours / 24) % 365;
            return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
        }
        return hours / 24 / 365 + "y";
    }

    /** kubectl's {@code translateTimestampSince}: the age of an RFC 3339 timestamp, {@code <unknown>} when missing. */
    public static String since(String timestamp, Clock clock) {
        Instant t = parse(timestamp);
        if (t == null) return "<unknown>";
        return format(Duration.between(t, clock.instant()));
    }

    /** Parses {@code 2024-01-01T10:00:00Z} (or with fractions / an offset); null or empty gives null. */
    static Instant parse(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) return null;
        return OffsetDateTime.parse(timestamp).toInstant();
    }
}

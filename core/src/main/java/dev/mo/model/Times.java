package dev.mo.model;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as Kubernetes writes them: RFC 3339, UTC, whole seconds. */
public final class Times {
    private Times() {}

    public static String now(Clock clock) { return format(clock.instant()); }

    public static String format(Instant t) { return t.truncatedTo(ChronoUnit.SECONDS).toString(); }

    public static Instant parse(String s) { return s == null ? null : Instant.parse(s); }
}

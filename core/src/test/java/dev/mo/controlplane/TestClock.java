package dev.mo.controlplane;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test moves it. */
public final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T12:00:00Z"); // controller threads read it too

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }

    @Override public Instant instant() { return now; }

    public void advance(Duration d) { now = now.plus(d); }
}

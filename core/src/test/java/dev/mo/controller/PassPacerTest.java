package dev.mo.controller;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassPacerTest {
    private static final long MS = 1_000_000;

    @Test
    void aBurstGoesAtOnceThenOnePassPerInterval() {
        PassPacer pacer = new PassPacer(3, Duration.ofMillis(20), 0);
        assertEquals(0, pacer.acquire(0));
        assertEquals(0, pacer.acquire(1 * MS));
        assertEquals(0, pacer.acquire(2 * MS));
        long wait = pacer.acquire(3 * MS);
        assertEquals(17 * MS, wait, "the bucket is empty: the 4th pass waits for one token (20 ms after the 1st, less what passed)");
        // The caller slept; every pass after that gets one token per interval.
        assertEquals(20 * MS, pacer.acquire(3 * MS + wait));
        assertEquals(20 * MS, pacer.acquire(40 * MS));
    }

    @Test
    void quietTimeRefillsTheBucketUpToTheBurst() {
        PassPacer pacer = new PassPacer(2, Duration.ofMillis(20), 0);
        pacer.acquire(0);
        pacer.acquire(0);
        assertEquals(20 * MS, pacer.acquire(0));
        // A long quiet spell: back to a full bucket, not more.
        long later = 10_000 * MS;
        assertEquals(0, pacer.acquire(later));
        assertEquals(0, pacer.acquire(later));
        assertEquals(20 * MS, pacer.acquire(later));
    }

    @Test
    void aSustainedStormIsHeldToOnePassPerInterval() {
        PassPacer pacer = new PassPacer(5, Duration.ofMillis(20), 0);
        long now = 0;
        int passes = 0;
        // A change every millisecond for one second; the controller sleeps as told before each pass.
        while (now < 1_000 * MS) {
            now += pacer.acquire(now);
            passes++;
            now += MS;
        }
        assertTrue(passes <= 5 + 50 + 1, "passes: " + passes);
        assertTrue(passes >= 50, "passes: " + passes);
    }
}

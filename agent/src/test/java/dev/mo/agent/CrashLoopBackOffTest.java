package dev.mo.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrashLoopBackOffTest {
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    /** The first failure restarts at once; then each waits twice as long: 10, 20, 40, 80, 160 s, then the 300 s cap. */
    @ParameterizedTest(name = "failure {0} waits {1}s")
    @CsvSource({"1,0", "2,10", "3,20", "4,40", "5,80", "6,160", "7,300", "8,300", "10,300"})
    void doublesUpToFiveMinutes(int failures, long expectedSeconds) {
        MutableClock clock = new MutableClock(T0);
        CrashLoopBackOff backOff = CrashLoopBackOff.forRestarts(clock);
        for (int i = 1; i <= failures; i++) {
            Instant started = clock.instant();
            clock.advance(Duration.ofSeconds(3)); // ran 3 s, then crashed
            backOff.recordFailure("uid/web", "c" + i, started, clock.instant());
        }
        CrashLoopBackOff.Entry e = backOff.entry("uid/web").orElseThrow();
        assertEquals(Duration.ofSeconds(expectedSeconds), e.delay());
        assertEquals(clock.instant().plusSeconds(expectedSeconds), e.restartAt());
    }

    @ParameterizedTest(name = "ran {0}s before failing -> next wait {1}s")
    @CsvSource({"599,40", "600,0", "3600,0"})
    void resetsAfterTenMinutesOfRunning(long ranSeconds, long expectedSeconds) {
        MutableClock clock = new MutableClock(T0);
        CrashLoopBackOff backOff = CrashLoopBackOff.forRestarts(clock);
        for (int i = 1; i <= 3; i++) backOff.recordFailure("k", "c" + i, clock.instant(), clock.instant()); // 0, 10, 20
        Instant started = clock.instant();
        clock.advance(Duration.ofSeconds(ranSeconds));
        backOff.recordFailure("k", "c4", started, clock.instant());
        assertEquals(Duration.ofSeconds(expectedSeconds), backOff.entry("k").orElseThrow().delay());
    }

    @Test
    void sameContainerCountsOnce() {
        MutableClock clock = new MutableClock(T0);
        CrashLoopBackOff backOff = CrashLoopBackOff.forRestarts(clock);
        assertTrue(backOff.recordFailure("k", "c1", T0, T0));
        assertFalse(backOff.recordFailure("k", "c1", T0, T0), "resync sees the same exited container again");
        assertTrue(backOff.recordFailure("k", "c2", T0, T0));
        assertFalse(backOff.recordFailure("k", "c2", T0, T0));
        assertEquals(Duration.ofSeconds(10), backOff.entry("k").orElseThrow().delay());
    }

    @Test
    void inBackOffUntilTheDelayPassed() {
        MutableClock clock = new MutableClock(T0);
        CrashLoopBackOff backOff = CrashLoopBackOff.forRestarts(clock);
        backOff.recordFailure("k", "c1", T0, T0);
        assertFalse(backOff.inBackOff("k"), "the first failure restarts at once");
        backOff.recordFailure("k", "c2", T0, T0);
        clock.advance(Duration.ofMillis(9_999));
        assertTrue(backOff.inBackOff("k"));
        clock.advance(Duration.ofMillis(1));
        assertFalse(backOff.inBackOff("k"));
    }

    @Test
    void aFinishTimeInTheFutureCountsFromNow() {
        MutableClock clock = new MutableClock(T0);
        CrashLoopBackOff backOff = CrashLoopBackOff.forPulls(clock);
        backOff.recordFailure("k", "c1", T0, T0.plusSeconds(100)); // engine clock ahead of ours
        assertEquals(T0.plusSeconds(10), backOff.entry("k").orElseThrow().restartAt());
    }

    @Test
    void forgetPodDropsItsKeysOnly() {
        CrashLoopBackOff backOff = CrashLoopBackOff.forRestarts(new MutableClock(T0));
        backOff.recordFailure("u1/a", "c1", T0, T0);
        backOff.recordFailure("u2/a", "c2", T0, T0);
        backOff.forgetPod("u1");
        assertTrue(backOff.entry("u1/a").isEmpty());
        assertTrue(backOff.entry("u2/a").isPresent());
    }
}

package dev.mo.proxy;

import io.undertow.server.HttpServerExchange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The FIFO response timers: a manual clock and a timer the test fires by hand. */
class ResponseDeadlinesTest {
    final long[] now = {0};
    final List<Long> scheduledTicks = new ArrayList<>();
    final List<Runnable> pending = new ArrayList<>();
    final Set<HttpServerExchange> answered = new HashSet<>();
    final List<HttpServerExchange> expired = new ArrayList<>();

    ResponseDeadlines deadlines(long timeoutMillis) {
        return new ResponseDeadlines((millis, task) -> { scheduledTicks.add(millis); pending.add(task); },
                TimeUnit.MILLISECONDS.toNanos(timeoutMillis), answered::contains,
                (exchange, attempt) -> expired.add(exchange), () -> now[0]);
    }

    void advanceAndFire(long millis) {
        now[0] += TimeUnit.MILLISECONDS.toNanos(millis);
        List<Runnable> due = new ArrayList<>(pending);
        pending.clear();
        due.forEach(Runnable::run);
    }

    static HttpServerExchange exchange() { return new HttpServerExchange(null); }

    @Test
    void aRequestNotAnsweredInTimeExpiresAndAnAnsweredOneDoesNot() {
        ResponseDeadlines d = deadlines(1000);
        HttpServerExchange slow = exchange(), quick = exchange();
        d.add(slow, null);
        d.add(quick, null);
        assertEquals(List.of(100L), scheduledTicks, "one sweep scheduled, a tenth of the timeout, at most 100 ms");

        answered.add(quick);
        advanceAndFire(999);
        assertEquals(List.of(), expired, "not due yet");
        assertEquals(2, d.size(), "the slow one at the head keeps the answered one behind it until it leaves");

        advanceAndFire(1);
        assertEquals(List.of(slow), expired);
        assertEquals(0, d.size());
        assertTrue(pending.isEmpty(), "an empty queue schedules no further sweep");
    }

    @Test
    void laterRequestsAreNotDueBeforeEarlierOnes() {
        ResponseDeadlines d = deadlines(500);
        HttpServerExchange first = exchange();
        d.add(first, null);
        now[0] += TimeUnit.MILLISECONDS.toNanos(300);
        HttpServerExchange second = exchange();
        d.add(second, null);

        advanceAndFire(200);
        assertEquals(List.of(first), expired);
        advanceAndFire(299);
        assertEquals(List.of(first), expired, "second is due 500 ms after it came, not after first");
        advanceAndFire(1);
        assertEquals(List.of(first, second), expired);
    }

    @Test
    void answeredRequestsBehindASlowOneAreDroppedOnceTheyPileUp() {
        ResponseDeadlines d = deadlines(60_000);
        d.add(exchange(), null); // never answered
        for (int i = 0; i < 5000; i++) {
            HttpServerExchange e = exchange();
            answered.add(e);
            d.add(e, null);
        }
        advanceAndFire(100);
        assertEquals(1, d.size(), "only the unanswered request is still timed");
        assertEquals(List.of(), expired);
    }

    @Test
    void aShortTimeoutIsSweptOftenEnough() {
        ResponseDeadlines d = deadlines(300);
        d.add(exchange(), null);
        assertEquals(List.of(30L), scheduledTicks);
    }
}

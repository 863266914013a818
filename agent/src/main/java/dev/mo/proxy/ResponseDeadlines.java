package dev.mo.proxy;

import io.undertow.server.HttpServerExchange;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The response timers of one I/O thread's requests. Every request gets the same timeout, so
 * their deadlines come in the order the requests came: a FIFO queue, swept on a tick, is all
 * the timer they need. That costs two queue operations per request where a timer each
 * ({@code executeAfter}) costs an insertion and a removal in the thread's sorted timer set.
 *
 * <p>Only the owning I/O thread touches it, so it needs no locks.
 */
final class ResponseDeadlines {
    /** What to do with a request whose response has not started in time. */
    interface Expiry {
        void expired(HttpServerExchange exchange, HttpProxy.Attempt attempt);
    }

    /** Runs a task on the owning I/O thread after a delay ({@code XnioIoThread.executeAfter}). */
    interface Timer {
        void after(long millis, Runnable task);
    }

    /** The proxy's test of "answered": the response has started (or the exchange ended otherwise). */
    static final Predicate<HttpServerExchange> RESPONSE_STARTED = ex -> ex.isResponseStarted() || ex.isComplete();

    private record InFlight(HttpServerExchange exchange, HttpProxy.Attempt attempt, long deadline) {}

    /** Finished requests are dropped from the middle of the queue once this many wait behind a slow one. */
    private static final int COMPACT_ABOVE = 4096;

    private final Timer timer;
    private final long timeoutNanos;
    private final long tickMillis;
    private final Predicate<HttpServerExchange> answered;
    private final Expiry expiry;
    private final LongSupplier nanoClock;
    private final ArrayDeque<InFlight> queue = new ArrayDeque<>();
    private boolean sweepScheduled;

    ResponseDeadlines(Timer timer, long timeoutNanos, Predicate<HttpServerExchange> answered, Expiry expiry,
                      LongSupplier nanoClock) {
        this.timer = timer;
        this.answered = answered;
        this.timeoutNanos = timeoutNanos;
        // A tenth of the timeout, at most 100 ms: a 504 comes at most 10% (or 100 ms) late.
        this.tickMillis = Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 10));
        this.expiry = expiry;
        this.nanoClock = nanoClock;
    }

    /** Starts the clock of a request that is about to be forwarded. */
    void add(HttpServerExchange exchange, HttpProxy.Attempt attempt) {
        queue.addLast(new InFlight(exchange, attempt, nanoClock.getAsLong() + timeoutNanos));
        if (!sweepScheduled) {
            sweepScheduled = true;
            timer.after(tickMillis, this::sweep);
        }
    }

    /** Number of requests still queued (answered ones may linger until the next sweep). */
    int size() { return queue.size(); }

    void sweep() {
        long now = nanoClock.getAsLong();
        for (InFlight head = queue.peekFirst(); head != null; head = queue.peekFirst()) {
            if (answered.test(head.exchange)) {
                queue.pollFirst();
            } else if (now - head.deadline >= 0) {
                queue.pollFirst();
                expiry.expired(head.exchange, head.attempt);
            } else {
                break; // every later request came later: none of them is due
            }
        }
        // One slow request at the head keeps every answered one behind it: let those go.
        if (queue.size() > COMPACT_ABOVE) queue.removeIf(f -> answered.test(f.exchange));
        sweepScheduled = !queue.isEmpty();
        if (sweepScheduled) timer.after(tickMillis, this::sweep);
    }
}

package dev.mo.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' restart back-off for a failing container, as the kubelet applies it: the first
 * failure is restarted at once, then each further failure waits twice as long as the one
 * before (0, 10, 20, 40, 80, 160 s) up to a cap of 5 min (300 s). A container that ran 10 min
 * before failing starts over. Image pull retries (ImagePullBackOff) use the same doubling but
 * wait 10 s already after the first failed pull ({@link #forPulls}).
 *
 * <p>Deterministic: time comes only from the {@link Clock} and the container's own timestamps.
 * Recording is idempotent per container id, so the agent may report the same exited container on
 * every resync and it still counts as one failure.
 */
public final class CrashLoopBackOff {
    public static final Duration INITIAL = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofMinutes(5);
    public static final Duration RESET_AFTER_RUNNING = Duration.ofMinutes(10);

    private final Clock clock;
    private final boolean firstRetryAtOnce;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * The back-off of one container key.
     *
     * @param failureId what failed last (container id, or an attempt id for pulls)
     * @param delay     the current wait
     * @param restartAt when the next attempt is allowed
     */
    public record Entry(String failureId, Duration delay, Instant restartAt) {}

    private CrashLoopBackOff(Clock clock, boolean firstRetryAtOnce) {
        this.clock = clock;
        this.firstRetryAtOnce = firstRetryAtOnce;
    }

    /** For container restarts: the first one at once, then 10 s, 20 s, 40 s … 300 s. */
    public static CrashLoopBackOff forRestarts(Clock clock) { return new CrashLoopBackOff(clock, true); }

    /** For image pulls: 10 s after the first failure, then 20 s, 40 s … 300 s. */
    public static CrashLoopBackOff forPulls(Clock clock) { return new CrashLoopBackOff(clock, false); }

    /**
     * Records that {@code failureId} failed at {@code finishedAt} (now when null) after running since
     * {@code startedAt} (null when it never ran). Returns true when this failure was not known yet.
     */
    public boolean recordFailure(String key, String failureId, Instant startedAt, Instant finishedAt) {
        Entry previous = entries.get(key);
        if (previous != null && previous.failureId().equals(failureId)) return false;
        Instant now = clock.instant();
        Instant failedAt = finishedAt == null || finishedAt.isAfter(now) ? now : finishedAt;
        boolean ranLongEnough = startedAt != null
                && Duration.between(startedAt, failedAt).compareTo(RESET_AFTER_RUNNING) >= 0;
        Duration first = firstRetryAtOnce ? Duration.ZERO : INITIAL;
        Duration delay;
        if (previous == null || ranLongEnough) delay = first;
        else if (previous.delay().isZero()) delay = INITIAL;
        else delay = min(previous.delay().multipliedBy(2), MAX);
        entries.put(key, new Entry(failureId, delay, failedAt.plus(delay)));
        return true;
    }

    /** The back-off of {@code key}, if it ever failed. */
    public Optional<Entry> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** True while {@code key} must still wait before its next attempt. */
    public boolean inBackOff(String key) {
        Entry e = entries.get(key);
        return e != null && clock.instant().isBefore(e.restartAt());
    }

    /** Forgets one key (the container succeeded, or its pod is gone). */
    public void forget(String key) {
        entries.remove(key);
    }

    /** Forgets every key of a pod. */
    public void forgetPod(String podUid) {
        entries.keySet().removeIf(k -> k.startsWith(podUid + "/"));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

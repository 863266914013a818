package dev.mo.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' restart back-off for a failing container: wait 10 s after the first failure, then
 * double the wait on every further failure (10, 20, 40, 80, 160 s) up to a cap of 5 min (300 s).
 * A container that ran 10 min before failing starts over at 10 s. The same rule, as a separate
 * instance, spaces image pull retries (ImagePullBackOff).
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
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * The back-off of one container key.
     *
     * @param failureId what failed last (container id, or an attempt id for pulls)
     * @param delay     the current wait
     * @param restartAt when the next attempt is allowed
     */
    public record Entry(String failureId, Duration delay, Instant restartAt) {}

    public CrashLoopBackOff(Clock clock) {
        this.clock = clock;
    }

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
        Duration delay = previous == null || ranLongEnough ? INITIAL : min(previous.delay().multipliedBy(2), MAX);
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

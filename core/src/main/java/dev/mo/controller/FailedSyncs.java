package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.store.ObjectKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps one object's failure from holding up the others of its kind, as Kubernetes' rate-limited
 * work queue does: a controller's pass syncs its objects one by one through {@link #syncEach}; an
 * object whose sync throws is remembered with a retry time, and the pass goes on with the next.
 *
 * <p>A failed object is skipped by later passes until its back-off is over, then tried again:
 * 5 ms after the first failure, doubling with each further one up to {@link #MAX_DELAY}
 * (client-go's item back-off). A success forgets it. A change to the object itself (a new
 * {@code resourceVersion}) is tried at once: whoever fixed the object should not wait out the
 * back-off its broken version earned.
 *
 * <p>Each distinct error is reported once, as a Warning event on the object: a retry that fails
 * the same way writes nothing, so a stuck object does not fill the store with events (nor wake
 * every controller with each write).
 *
 * <p>Delays are measured on the control plane's clock. Passes come on store changes and at
 * least once per resync (1 s by default), so a retry that falls due between passes waits for
 * the next one.
 *
 * <p>One instance per controller, used by that controller's thread only.
 */
final class FailedSyncs {
    private static final Logger log = LoggerFactory.getLogger(FailedSyncs.class);

    static final String REASON = "SyncFailed";
    static final Duration BASE_DELAY = Duration.ofMillis(5);
    /**
     * Kubernetes waits up to 1,000 s; mo stops at 5 min. A failure whose cause lies outside
     * the object (the disk, another object it depends on) is only noticed to be gone at the
     * next retry, and on a small cluster someone is usually watching: 5 min bounds how long a
     * fixed cause can leave the object stuck. Reached at the 17th failure in a row
     * (5 ms × 2^16 ≈ 5.5 min, cut to 5), about 5.5 min after the first; from then on an object
     * that keeps failing is tried 12 times an hour.
     */
    static final Duration MAX_DELAY = Duration.ofMinutes(5);

    /** The last failure of one object: which version failed, how often in a row, and when to try again. */
    private record Failure(String resourceVersion, int failures, Instant retryAt, String error) {}

    private final ObjectService objects;
    private final String component;
    private final Map<ObjectKey, Failure> failed = new HashMap<>();

    /** {@code component} names the controller in events and logs, as Kubernetes does ("deployment-controller"). */
    FailedSyncs(ObjectService objects, String component) {
        this.objects = objects;
        this.component = component;
    }

    /**
     * Syncs each object that is not backing off; a sync that throws is recorded and does not
     * stop the others. Objects no longer in the list (deleted) are forgotten.
     */
    void syncEach(List<ObjectNode> objectsOfKind, Consumer<ObjectNode> sync) {
        Set<ObjectKey> present = new HashSet<>();
        Instant now = objects.clock().instant();
        for (ObjectNode object : objectsOfKind) {
            ObjectKey key = ObjectKey.of(object);
            present.add(key);
            Failure last = failed.get(key);
            if (last != null && now.isBefore(last.retryAt()) && last.resourceVersion().equals(resourceVersion(object))) {
                continue;
            }
            try {
                sync.accept(object);
                failed.remove(key);
            } catch (RuntimeException e) {
                recordFailure(key, object, last, e);
            }
        }
        failed.keySet().retainAll(present);
    }

    /**
     * The wait after {@code failures} failures in a row: 1 → 5 ms, 2 → 10 ms, 3 → 20 ms, …,
     * 16 → 163.84 s, 17 and more → 5 min.
     */
    static Duration delayAfter(int failures) {
        int doublings = Math.max(0, failures - 1);
        // 5 ms × 2^17 is already past the cap; stopping there keeps the shift from overflowing.
        if (doublings >= 17) return MAX_DELAY;
        Duration delay = BASE_DELAY.multipliedBy(1L << doublings);
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }

    private void recordFailure(ObjectKey key, ObjectNode object, Failure last, RuntimeException e) {
        int failures = last == null ? 1 : last.failures() + 1;
        Duration delay = delayAfter(failures);
        String error = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        boolean newError = last == null || !last.error().equals(error);
        // The version now in the store, not the one read at the start: a write the failed sync
        // made to the object itself is not a fix and must not cut the back-off short.
        String version = objects.store().get(key).map(FailedSyncs::resourceVersion).orElse(resourceVersion(object));
        failed.put(key, new Failure(version, failures, objects.clock().instant().plus(delay), error));
        if (newError) {
            log.warn("{}: sync of {} failed (attempt {}), retrying in {} ms", component, key, failures, delay.toMillis(), e);
            try {
                objects.events().warning(object, REASON, error, component);
            } catch (RuntimeException recordingFailed) {
                log.warn("{}: could not record the failure of {}: {}", component, key, recordingFailed.toString());
            }
        } else {
            log.warn("{}: sync of {} failed again (attempt {}), retrying in {} ms: {}",
                    component, key, failures, delay.toMillis(), error);
        }
    }

    private static String resourceVersion(ObjectNode object) {
        return String.valueOf(Json.text(object, "metadata.resourceVersion"));
    }
}

package dev.mo.controller;

import dev.mo.model.DaemonThreads;
import dev.mo.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each controller on a thread of its own: reconcile, then sleep until the store
 * changes or {@code resync} passes, and again. A failure in one object's sync stays with that
 * object ({@link FailedSyncs}); a pass that fails as a whole (reading the store, say) is logged
 * and retried after a short backoff; it never stops the loop.
 *
 * <p>A {@link PassPacer} paces the passes: {@link #BURST_PASSES} back to back, then one per
 * {@link #PASS_INTERVAL}. Every store change wakes every controller, so without the burst a
 * Deployment's ReplicaSet would wait out the pause that its own Deployment's creation started.
 */
public final class ControllerManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControllerManager.class);

    static final int BURST_PASSES = 5;
    static final Duration PASS_INTERVAL = Duration.ofMillis(20);

    private final Store store;
    private final Duration resync;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    public ControllerManager(Store store, Duration resync) {
        this.store = store;
        this.resync = resync;
    }

    public void start(List<Controller> controllers) {
        for (Controller c : controllers) {
            Thread t = DaemonThreads.named("controller-" + c.name(), () -> loop(c));
            threads.add(t);
            t.start();
        }
    }

    private void loop(Controller c) {
        long failures = 0;
        PassPacer pacer = new PassPacer(BURST_PASSES, PASS_INTERVAL, System.nanoTime());
        while (running) {
            long seen = store.revision();
            try {
                c.reconcile();
                failures = 0;
            } catch (RuntimeException e) {
                failures++;
                log.warn("{} controller: reconcile failed ({}), retrying", c.name(), e.toString(), e);
                sleep(Math.min(5000, 100L << Math.min(failures, 6)));
            }
            try {
                store.awaitChange(seen, resync);
                long wait = pacer.acquire(System.nanoTime());
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        // No interrupt: a controller stops at the end of its current pass (within one resync),
        // never in the middle of a write.
        running = false;
        for (Thread t : threads) {
            try {
                t.join(resync.toMillis() + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

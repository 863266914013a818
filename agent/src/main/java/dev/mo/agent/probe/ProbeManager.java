package dev.mo.agent.probe;

import dev.mo.model.DaemonThreads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.agent.ContainerReadiness;
import dev.mo.agent.Labels;
import dev.mo.model.Meta;
import dev.mo.runtime.ContainerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the liveness, readiness and startup probes of the containers on this node, and answers the
 * planner's questions about them ({@link ContainerReadiness}: ready? started? must it be killed?).
 *
 * <p>How it fits in the agent:
 * <ol>
 *   <li>every sync hands it the container listing ({@link #sync}): each running container whose spec
 *       declares probes gets a {@link ContainerProbes} (keyed by container id, so a restarted
 *       container starts afresh); stopped or removed containers, and pods being deleted, are dropped;
 *   <li>a ticker thread calls {@link #runDue} every 100 ms: each probe whose time has come (by the
 *       agent's {@link Clock}) runs on a pool, never on the sync thread, at most one per probe at a time.
 *       A new container's first probes are due {@link #START_GRACE} after it started and get a run
 *       of the ticker at that moment, so a quick server turns ready without waiting for a tick;
 *   <li>each result is counted ({@link ProbeCounter}); a failure records the kubelet's {@code Unhealthy}
 *       event; when it changes ready/started/killed, {@code onChange} wakes the sync loop, which reports
 *       the new status (or kills the container) at once instead of at the next resync.
 * </ol>
 * Tests call {@link #sync} and {@link #runDue} themselves with a test clock and an inline executor.
 */
public final class ProbeManager implements ContainerReadiness, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProbeManager.class);
    /** How often the ticker looks for due probes: the precision of periodSeconds. */
    public static final Duration TICK = Duration.ofMillis(100);
    /**
     * How long after a container started its first probes go (plus {@code initialDelaySeconds}), on a
     * timer of their own rather than the next tick. Soon enough that a quick server is ready at once;
     * late enough that one which binds its port as it starts (a few ms, tens on a busy machine) is
     * not caught just before it listens, which would cost it a whole period. The kubelet's first
     * probe lands anywhere in the first period.
     */
    public static final Duration START_GRACE = Duration.ofMillis(50);

    /** Where probe failures go (the agent records them as pod events). */
    @FunctionalInterface
    public interface EventSink {
        void record(ObjectNode pod, String type, String reason, String message);
    }

    /** One probed container run: its pod, where to reach it, and its probes' state (guarded by itself). */
    private record Tracked(ObjectNode pod, String containerName, ProbeTarget target, ContainerProbes probes) {}

    private final Prober prober;
    private final Clock clock;
    private final Executor runner;
    private final ExecutorService ownedRunner;
    private final EventSink events;
    private final Runnable onChange;
    private final Map<String, Tracked> byContainerId = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService ticker;

    /**
     * @param runner   runs the probes; null for a pool owned by the manager ({@code Runnable::run} in tests)
     * @param onChange called when a container's ready, started or kill state changed
     */
    public ProbeManager(Prober prober, Clock clock, Executor runner, EventSink events, Runnable onChange) {
        this.prober = prober;
        this.clock = clock;
        this.ownedRunner = runner == null ? Executors.newCachedThreadPool(DaemonThreads.factory("mo-agent-probe")) : null;
        this.runner = runner == null ? ownedRunner : runner;
        this.events = events;
        this.onChange = onChange;
    }

    /** Starts the ticker thread that runs due probes. */
    public synchronized void start() {
        if (ticker != null) return;
        ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("mo-agent-probe-ticker"));
        ticker.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Tracks the running containers with probes among {@code containers} and forgets all others.
     *
     * @param podsByUid the pods bound to this node, by uid
     */
    public void sync(Map<String, ObjectNode> podsByUid, List<ContainerInfo> containers) {
        Set<String> probed = new HashSet<>();
        for (ContainerInfo c : containers) {
            ObjectNode pod = podsByUid.get(c.label(Labels.POD_UID));
            if (!c.running() || pod == null || Meta.deleting(pod)) continue;
            String name = c.label(Labels.CONTAINER);
            JsonNode spec = containerSpec(pod, name);
            List<Probe> probes = spec == null ? List.of() : Probe.of(spec);
            if (probes.isEmpty()) continue;
            probed.add(c.id());
            if (byContainerId.containsKey(c.id())) continue; // only the sync thread adds: no race
            log.debug("pod {}/{}: probing container {} ({})", Meta.namespace(pod), Meta.name(pod), name,
                    probes.stream().map(p -> p.type().word()).toList());
            Instant startedAt = c.startedAt() != null ? c.startedAt() : clock.instant();
            ContainerProbes state = new ContainerProbes(probes, startedAt.plus(START_GRACE));
            byContainerId.put(c.id(), new Tracked(pod, name, ProbeTarget.of(c, spec), state));
            runAt(state.firstDue()); // once tracked, so that the run finds it
        }
        byContainerId.keySet().retainAll(probed);
    }

    /** Runs the probes due at {@code at} then, not at the next tick (the first probes of a new container). */
    private void runAt(Instant at) {
        ScheduledExecutorService t = ticker;
        if (t == null) return;
        // Rounded up, and a millisecond more: a run a moment early would find nothing due yet.
        long delay = Math.max(0, Duration.between(clock.instant(), at).plusNanos(999_999).toMillis() + 1);
        try {
            t.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closing
        }
    }

    private void tick() {
        try {
            runDue();
        } catch (RuntimeException e) {
            log.warn("probe tick failed: {}", e.toString(), e);
        }
    }

    /** Hands every probe that is due now to the runner. */
    public void runDue() {
        Instant now = clock.instant();
        for (Tracked t : byContainerId.values()) {
            List<Probe> due;
            synchronized (t.probes()) {
                due = t.probes().due(now);
            }
            for (Probe p : due) {
                try {
                    runner.execute(() -> run(t, p));
                } catch (RejectedExecutionException closing) {
                    return;
                }
            }
        }
    }

    private void run(Tracked t, Probe p) {
        ProbeResult result;
        try {
            result = prober.probe(p, t.target());
        } catch (RuntimeException e) {
            result = ProbeResult.unknown(e.toString());
        }
        boolean changed;
        String ref = Meta.namespace(t.pod()) + "/" + Meta.name(t.pod());
        synchronized (t.probes()) {
            changed = t.probes().record(p.type(), result.outcome(), clock.instant());
        }
        if (byContainerId.get(t.target().containerId()) != t) return; // the container stopped meanwhile
        switch (result.outcome()) {
            case FAILURE -> {
                log.debug("pod {}: {} probe of container {} failed: {}", ref, p.type().word(), t.containerName(), result.message());
                events.record(t.pod(), "Warning", "Unhealthy", p.type().title() + " probe failed: " + result.message());
            }
            case UNKNOWN -> log.debug("pod {}: {} probe of container {} could not run: {}", ref, p.type().word(), t.containerName(), result.message());
            case SUCCESS -> { }
        }
        if (changed) {
            synchronized (t.probes()) {
                ProbeType failed = t.probes().failedProbe();
                if (failed != null) {
                    log.info("pod {}: container {} failed its {} probe {} times in a row: it will be killed", ref,
                            t.containerName(), failed.word(), t.probes().probe(failed).failureThreshold());
                } else {
                    log.info("pod {}: container {} is {}", ref, t.containerName(),
                            t.probes().started() ? (t.probes().ready() ? "ready" : "not ready") : "not started");
                }
            }
            onChange.run();
        }
    }

    // ---- ContainerReadiness: what the planner asks ----------------------------------------------

    @Override
    public boolean isReady(ObjectNode pod, String containerName, ContainerInfo container) {
        Tracked t = byContainerId.get(container.id());
        if (t == null) return !declares(pod, containerName, ProbeType.READINESS) && !declares(pod, containerName, ProbeType.STARTUP);
        synchronized (t.probes()) {
            return t.probes().ready();
        }
    }

    @Override
    public boolean isStarted(ObjectNode pod, String containerName, ContainerInfo container) {
        Tracked t = byContainerId.get(container.id());
        if (t == null) return !declares(pod, containerName, ProbeType.STARTUP);
        synchronized (t.probes()) {
            return t.probes().started();
        }
    }

    @Override
    public String failedProbe(ObjectNode pod, String containerName, ContainerInfo container) {
        Tracked t = byContainerId.get(container.id());
        if (t == null) return null;
        synchronized (t.probes()) {
            ProbeType failed = t.probes().failedProbe();
            return failed == null ? null : failed.word();
        }
    }

    /** How many container runs are probed now (tests and logs). */
    public int probedContainers() {
        return byContainerId.size();
    }

    private static boolean declares(ObjectNode pod, String containerName, ProbeType type) {
        JsonNode spec = containerSpec(pod, containerName);
        return spec != null && spec.path(type.field()).isObject();
    }

    private static JsonNode containerSpec(ObjectNode pod, String name) {
        for (JsonNode c : pod.path("spec").path("containers")) {
            if (c.path("name").asText().equals(name)) return c;
        }
        return null;
    }

    @Override
    public synchronized void close() {
        if (ticker != null) ticker.shutdownNow();
        if (ownedRunner != null) ownedRunner.shutdownNow();
        byContainerId.clear();
    }

}

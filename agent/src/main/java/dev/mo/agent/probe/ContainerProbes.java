package dev.mo.agent.probe;

import dev.mo.agent.probe.ProbeResult.Outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The probes of one container run: when each is due, and what they concluded. Pure and
 * single-threaded (the {@link ProbeManager} locks it): time comes in as {@code now}, so every rule
 * is tested with a test clock. A restarted container is a new run with a new {@code ContainerProbes},
 * which is how probe state resets.
 *
 * <p>The rules, as the kubelet's:
 * <ul>
 *   <li>the first probe is due {@code initialDelaySeconds} after the container started, then every
 *       {@code periodSeconds} (a probe that ran late does not make the next ones pile up);
 *   <li>while a startup probe has not succeeded, liveness and readiness do not run and the container
 *       is neither started nor ready; once it succeeded it runs no more;
 *   <li>ready = started and (no readiness probe, or the readiness probe's result is success);
 *   <li>a liveness or startup probe that failed {@code failureThreshold} times in a row asks for the
 *       container to be killed ({@link #failedProbe()}) and stops probing ("on hold").
 * </ul>
 */
public final class ContainerProbes {
    private static final class Slot {
        final Probe probe;
        final ProbeCounter counter;
        Instant due;
        boolean running;

        Slot(Probe probe, Instant due) {
            this.probe = probe;
            this.counter = new ProbeCounter(probe);
            this.due = due;
        }
    }

    private final Map<ProbeType, Slot> slots = new EnumMap<>(ProbeType.class);

    /** @param startedAt when the container started running */
    public ContainerProbes(List<Probe> probes, Instant startedAt) {
        for (Probe p : probes) slots.put(p.type(), new Slot(p, startedAt.plus(p.initialDelay())));
    }

    /** When the first of these probes is due. */
    public Instant firstDue() {
        return slots.values().stream().map(s -> s.due).min(Instant::compareTo).orElseThrow();
    }

    /** The probes to run now. Each is marked running until its {@link #record}: never two at once. */
    public List<Probe> due(Instant now) {
        List<Probe> due = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (s.running || now.isBefore(s.due) || onHold(s)) continue;
            s.running = true;
            due.add(s.probe);
        }
        return due;
    }

    /** Whether a probe of this slot may run at all right now (time aside). */
    private boolean onHold(Slot s) {
        ProbeType type = s.probe.type();
        if (type == ProbeType.STARTUP) return s.counter.result() != Outcome.UNKNOWN; // succeeded, or failed for good
        if (!started()) return true;                                                 // gated by the startup probe
        return type == ProbeType.LIVENESS && s.counter.result() == Outcome.FAILURE;  // waiting to be killed
    }

    /**
     * Counts the outcome of a probe that {@link #due} handed out and schedules its next run.
     * Returns true when {@link #started()}, {@link #ready()} or {@link #failedProbe()} changed.
     */
    public boolean record(ProbeType type, Outcome outcome, Instant now) {
        Slot s = slots.get(type);
        if (s == null) return false;
        boolean startedBefore = started(), readyBefore = ready();
        ProbeType failedBefore = failedProbe();
        s.running = false;
        s.due = nextDue(s.due, s.probe.period(), now);
        s.counter.record(outcome);
        return startedBefore != started() || readyBefore != ready() || failedBefore != failedProbe();
    }

    /** {@code due + period}, skipping the periods that already passed while a slow probe ran. */
    static Instant nextDue(Instant due, Duration period, Instant now) {
        Instant next = due.plus(period);
        if (next.isBefore(now)) {
            long periodMillis = period.toMillis();
            long missed = (Duration.between(next, now).toMillis() + periodMillis - 1) / periodMillis; // rounded up
            next = next.plus(period.multipliedBy(missed));
        }
        return next;
    }

    /** No startup probe, or it succeeded. */
    public boolean started() {
        Slot s = slots.get(ProbeType.STARTUP);
        return s == null || s.counter.result() == Outcome.SUCCESS;
    }

    /** Started, and no readiness probe or its result is success. */
    public boolean ready() {
        Slot s = slots.get(ProbeType.READINESS);
        return started() && (s == null || s.counter.result() == Outcome.SUCCESS);
    }

    /** STARTUP or LIVENESS when that probe failed for good (the container must be killed), else null. */
    public ProbeType failedProbe() {
        for (ProbeType t : List.of(ProbeType.STARTUP, ProbeType.LIVENESS)) {
            Slot s = slots.get(t);
            if (s != null && s.counter.result() == Outcome.FAILURE) return t;
        }
        return null;
    }

    /** The declared probe of this type, or null. */
    public Probe probe(ProbeType type) {
        Slot s = slots.get(type);
        return s == null ? null : s.probe;
    }
}

package dev.mo.agent.probe;

import dev.mo.agent.probe.ProbeResult.Outcome;

/**
 * The kubelet's threshold rule for one probe of one container run. Pure: feed it outcomes, read
 * {@link #result()}. A result only changes after {@code successThreshold} consecutive successes or
 * {@code failureThreshold} consecutive failures; anything less leaves it as it was.
 *
 * <p>Before the first decision the result is the kubelet's initial value: readiness starts as
 * FAILURE (not ready until it passes), liveness as SUCCESS (alive until proven otherwise), startup
 * as UNKNOWN (not started yet).
 */
public final class ProbeCounter {
    private final int successThreshold;
    private final int failureThreshold;
    private Outcome result;
    private Outcome last;   // the outcome of the latest probe
    private int run;        // how many probes in a row had that outcome

    public ProbeCounter(Probe probe) {
        this(probe.type(), probe.successThreshold(), probe.failureThreshold());
    }

    public ProbeCounter(ProbeType type, int successThreshold, int failureThreshold) {
        this.successThreshold = successThreshold;
        this.failureThreshold = failureThreshold;
        this.result = switch (type) {
            case READINESS -> Outcome.FAILURE;
            case LIVENESS -> Outcome.SUCCESS;
            case STARTUP -> Outcome.UNKNOWN;
        };
    }

    /** Counts one probe's outcome; returns true when {@link #result()} changed. UNKNOWN outcomes are ignored. */
    public boolean record(Outcome outcome) {
        if (outcome == Outcome.UNKNOWN) return false;
        if (outcome == last) {
            run++;
        } else {
            last = outcome;
            run = 1;
        }
        int threshold = outcome == Outcome.SUCCESS ? successThreshold : failureThreshold;
        if (run < threshold) return false;
        boolean changed = result != outcome;
        result = outcome;
        return changed;
    }

    /** SUCCESS, FAILURE, or UNKNOWN (a startup probe that has not decided yet). */
    public Outcome result() { return result; }
}

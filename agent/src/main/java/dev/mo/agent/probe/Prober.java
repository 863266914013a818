package dev.mo.agent.probe;

/**
 * Runs one probe once: the only part of probing that touches the network or the engine.
 * {@link NetworkProber} is the real one; tests script their own.
 */
@FunctionalInterface
public interface Prober {
    /** Runs {@code probe} against {@code target}, taking at most about {@code probe.timeout()}. Never throws. */
    ProbeResult probe(Probe probe, ProbeTarget target);
}

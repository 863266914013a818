package dev.mo.agent.probe;

/**
 * The outcome of running a probe once, with the kubelet's message for a failure
 * ({@code HTTP probe failed with statuscode: 500}). {@link Outcome#UNKNOWN} means the probe could
 * not run at all (the container is stopping): the kubelet throws such a result away, and so do we.
 */
public record ProbeResult(Outcome outcome, String message) {
    public enum Outcome { SUCCESS, FAILURE, UNKNOWN }

    public static ProbeResult success() { return new ProbeResult(Outcome.SUCCESS, ""); }

    public static ProbeResult failure(String message) { return new ProbeResult(Outcome.FAILURE, message); }

    public static ProbeResult unknown(String why) { return new ProbeResult(Outcome.UNKNOWN, why); }
}

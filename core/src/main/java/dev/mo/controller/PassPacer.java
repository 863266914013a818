package dev.mo.controller;

import java.time.Duration;

/**
 * How often a controller may make a pass: a token bucket. Up to {@code burst} passes go back to
 * back, so a short chain of changes (a Deployment, then its ReplicaSet, then its pods) is acted on
 * at once; after that, one pass per {@code interval}, so that when 1,000 pods report their status
 * one by one a controller makes a few dozen passes over the batch instead of 1,000, each of which
 * would read every pod. Pure: time comes in as nanoseconds.
 */
final class PassPacer {
    private final int burst;
    private final long intervalNanos;
    private double tokens;
    private long last;

    PassPacer(int burst, Duration interval, long nowNanos) {
        this.burst = burst;
        this.intervalNanos = interval.toNanos();
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes a pass's token; returns how many nanoseconds to wait before the pass may start (0: now). */
    long acquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (double) (nowNanos - last) / intervalNanos);
        last = nowNanos;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * intervalNanos);
    }
}

package dev.mo.runtime;

import java.time.Instant;

/**
 * One sample of a container's resource usage.
 *
 * @param cpuNanos    cumulative CPU time used since the container started, in nanoseconds
 * @param memoryBytes working set: memory in use minus inactive page cache, as the kubelet reports it
 * @param at          when the engine read it
 */
public record ContainerStats(long cpuNanos, long memoryBytes, Instant at) {}

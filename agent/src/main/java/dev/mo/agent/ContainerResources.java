package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.manifest.Quantity;
import dev.mo.runtime.ContainerSpec;

/**
 * A container's {@code resources} as Docker settings, computed as the kubelet does
 * ({@code MilliCPUToShares}, {@code MilliCPUToQuota} in pkg/kubelet/cm): the CPU request (or the
 * limit when only that is set, as the API server defaults it) becomes {@code CpuShares}; the CPU
 * limit becomes a CFS quota over a 100 ms period; the memory limit becomes {@code Memory} with
 * {@code MemorySwap} equal to it (no swap). Pure.
 */
final class ContainerResources {
    static final long MIN_SHARES = 2;
    static final long MAX_SHARES = 262144;
    static final long SHARES_PER_CPU = 1024;
    static final long QUOTA_PERIOD = 100_000; // microseconds
    static final long MIN_QUOTA_PERIOD = 1000;

    private ContainerResources() {}

    static ContainerSpec.Resources of(JsonNode container) {
        JsonNode res = container.path("resources");
        Long cpuRequest = millis(res.path("requests").path("cpu"));
        Long cpuLimit = millis(res.path("limits").path("cpu"));
        Long memoryLimit = bytes(res.path("limits").path("memory"));
        long requestMillis = cpuRequest != null ? cpuRequest : cpuLimit != null ? cpuLimit : 0;
        Long period = cpuLimit != null && cpuLimit > 0 ? QUOTA_PERIOD : null;
        Long quota = period != null ? milliCpuToQuota(cpuLimit, period) : null;
        return new ContainerSpec.Resources(milliCpuToShares(requestMillis), period, quota,
                memoryLimit != null && memoryLimit > 0 ? memoryLimit : null);
    }

    /** The kubelet's MilliCPUToShares: no request → 2 (the minimum), else millis × 1024 / 1000, within [2, 262144]. */
    static long milliCpuToShares(long milliCpu) {
        if (milliCpu == 0) return MIN_SHARES;
        long shares = milliCpu * SHARES_PER_CPU / 1000;
        return Math.max(MIN_SHARES, Math.min(MAX_SHARES, shares));
    }

    /** The kubelet's MilliCPUToQuota: millis × period / 1000, at least 1000 µs; 0 when there is no limit. */
    static long milliCpuToQuota(long milliCpu, long period) {
        if (milliCpu == 0) return 0;
        return Math.max(MIN_QUOTA_PERIOD, milliCpu * period / 1000);
    }

    private static Long millis(JsonNode q) {
        return q.isMissingNode() || q.isNull() ? null : Quantity.parseMillis(q.asText());
    }

    private static Long bytes(JsonNode q) {
        return q.isMissingNode() || q.isNull() ? null : Quantity.parseBytes(q.asText());
    }
}

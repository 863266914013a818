package dev.mo.agent;

import dev.mo.model.Json;
import dev.mo.runtime.ContainerSpec.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The kubelet's arithmetic: MilliCPUToShares, MilliCPUToQuota, memory limit without swap. */
class ContainerResourcesTest {

    @ParameterizedTest(name = "{0} CPU -> shares {1}, quota {2}")
    @CsvSource({
            "100m, 102,   10000",
            "2,    2048,  200000",
            "250m, 256,   25000",
            "1,    1024,  100000",
            "1m,   2,     1000",   // shares floor 2, quota floor 1000 µs
            "5m,   5,     1000",
            "0.5,  512,   50000",
            "1500m,1536,  150000",
            "300,  262144,30000000"})  // shares capped at 262144
    void cpuAsTheKubeletComputesIt(String cpu, long shares, long quota) {
        long millis = dev.mo.manifest.Quantity.parseMillis(cpu);
        assertEquals(shares, ContainerResources.milliCpuToShares(millis));
        assertEquals(quota, ContainerResources.milliCpuToQuota(millis, 100_000));
    }

    @Test
    void noCpuMeansMinimumSharesAndNoQuota() {
        assertEquals(2, ContainerResources.milliCpuToShares(0));
        assertEquals(0, ContainerResources.milliCpuToQuota(0, 100_000));
        assertEquals(new Resources(2L, null, null, null), ContainerResources.of(Json.parse("{\"name\":\"a\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{requests: {cpu: 100m}}                                | 102  |        |       |",
            "{limits: {cpu: '2'}}                                    | 2048 | 100000 | 200000|",
            "{requests: {cpu: 100m}, limits: {cpu: 500m}}            | 102  | 100000 | 50000 |",
            "{limits: {memory: 128Mi}}                               | 2    |        |       | 134217728",
            "{limits: {memory: 8Mi}}                                 | 2    |        |       | 8388608",
            "{limits: {memory: 1G}}                                  | 2    |        |       | 1000000000",
            "{requests: {cpu: 250m, memory: 64Mi}, limits: {cpu: 1, memory: 256Mi}} | 256 | 100000 | 100000 | 268435456"})
    void resourcesOfAContainer(String yaml, Long shares, Long period, Long quota, Long memory) {
        String json = "{\"name\":\"a\",\"resources\":" + yaml
                .replaceAll("([a-z]+):", "\"$1\":").replaceAll(": ?'?([0-9.]+[a-zA-Z]*)'?", ":\"$1\"") + "}";
        assertEquals(new Resources(shares, period, quota, memory), ContainerResources.of(Json.parse(json)));
    }

    @Test
    void invalidQuantityIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ContainerResources.of(
                Json.parse("{\"resources\":{\"limits\":{\"memory\":\"lots\"}}}")));
    }
}

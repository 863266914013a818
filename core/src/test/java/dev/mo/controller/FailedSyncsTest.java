package dev.mo.controller;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailedSyncsTest {

    @ParameterizedTest(name = "after {0} failures: {1} ms")
    @CsvSource({
            // failures in a row, wait before the next try (ms)
            "1,  5",
            "2,  10",
            "3,  20",
            "10, 2560",
            "16, 163840",    // 5 ms × 2^15
            "17, 300000",    // 5 ms × 2^16 = 327.68 s: past the 5 min cap
            "40, 300000",
            "2147483647, 300000", // a shift this far would overflow; the cap holds
    })
    void theDelayDoublesFrom5msUpTo5Minutes(int failures, long millis) {
        assertEquals(Duration.ofMillis(millis), FailedSyncs.delayAfter(failures));
    }
}

package dev.mo.cli.output;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HumanDurationTest {
    @ParameterizedTest(name = "{0}s -> {1}")
    @CsvSource({
            "0, 0s",
            "59, 59s",
            "119, 119s",
            "120, 2m",
            "599, 9m59s",
            "600, 10m",
            "10799, 179m",
            "10800, 3h",
            "11100, 3h5m",
            "28800, 8h",
            "172799, 47h",
            "172800, 2d",
            "183600, 2d3h",
            "691200, 8d",
            "34560000, 400d",
            "63072000, 2y",
            "71712000, 2y100d",
            "252288000, 8y",
            "-1, 0s",
            "-2, <invalid>",
    })
    void formatsLikeApimachinery(long seconds, String expected) {
        assertEquals(expected, HumanDuration.format(Duration.ofSeconds(seconds)));
    }

    @org.junit.jupiter.api.Test
    void missingTimestampIsUnknown() {
        assertEquals("<unknown>", HumanDuration.since(null, Samples.CLOCK));
        assertEquals("45s", HumanDuration.since("2024-01-01T11:59:15Z", Samples.CLOCK));
    }
}

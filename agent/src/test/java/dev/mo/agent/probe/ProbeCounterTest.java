package dev.mo.agent.probe;

import dev.mo.agent.probe.ProbeResult.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The kubelet's threshold counting: a sequence of probe outcomes, and the result after each one. */
class ProbeCounterTest {

    /** S = success, F = failure, U = unknown (thrown away) / startup not decided. */
    @ParameterizedTest(name = "{0} success={1} failure={2}: {3} -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            READINESS | 1 | 3 | S F F F S     | S S S F S
            READINESS | 1 | 3 | F F F         | F F F
            READINESS | 1 | 3 | S F F S F F F | S S S S S S F
            READINESS | 2 | 1 | S S F S S     | F S F F S
            READINESS | 3 | 3 | S S F S S S   | F F F F F S
            LIVENESS  | 1 | 3 | F F S F F F   | S S S S S F
            LIVENESS  | 1 | 1 | S F           | S F
            LIVENESS  | 1 | 2 | F U F         | S S F
            LIVENESS  | 1 | 2 | F S F         | S S S
            STARTUP   | 1 | 2 | F S           | U S
            STARTUP   | 1 | 2 | F F           | U F
            STARTUP   | 1 | 3 | U U S         | U U S
            """)
    void resultAfterEachOutcome(ProbeType type, int success, int failure, String outcomes, String expected) {
        ProbeCounter counter = new ProbeCounter(type, success, failure);
        List<String> results = new ArrayList<>();
        for (String o : outcomes.split(" ")) {
            counter.record(outcome(o));
            results.add(counter.result().name().substring(0, 1));
        }
        assertEquals(expected, String.join(" ", results));
    }

    @ParameterizedTest(name = "{0}: {1} reports changes {2}")
    @CsvSource(delimiter = '|', textBlock = """
            READINESS | S S F F F S | true false false false true true
            LIVENESS  | S F F F     | false false false true
            """)
    void recordSaysWhenTheResultChanged(ProbeType type, String outcomes, String expected) {
        ProbeCounter counter = new ProbeCounter(type, 1, 3);
        List<String> changes = new ArrayList<>();
        for (String o : outcomes.split(" ")) changes.add(String.valueOf(counter.record(outcome(o))));
        assertEquals(expected, String.join(" ", changes));
    }

    private static Outcome outcome(String letter) {
        return switch (letter) {
            case "S" -> Outcome.SUCCESS;
            case "F" -> Outcome.FAILURE;
            default -> Outcome.UNKNOWN;
        };
    }
}

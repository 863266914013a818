package dev.mo.agent.probe;

import dev.mo.agent.probe.ProbeResult.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When probes run and what they conclude for one container run, with time passed in by hand. */
class ContainerProbesTest {
    private static final Instant START = Instant.parse("2024-05-01T12:00:00Z");

    private static Probe probe(ProbeType type, int delay, int period, int success, int failure) {
        return new Probe(type, new Probe.Exec(List.of("true")), Duration.ofSeconds(delay), Duration.ofSeconds(period),
                Duration.ofSeconds(1), success, failure, null);
    }

    private static Instant at(double seconds) {
        return START.plusMillis((long) (seconds * 1000));
    }

    private static List<ProbeType> due(ContainerProbes probes, double seconds) {
        return probes.due(at(seconds)).stream().map(Probe::type).toList();
    }

    @Test
    void firstProbeAfterTheInitialDelayThenEveryPeriod() {
        ContainerProbes probes = new ContainerProbes(List.of(probe(ProbeType.READINESS, 5, 10, 1, 3)), START);
        assertFalse(probes.ready(), "a readiness probe means not ready until it passes");
        assertEquals(List.of(), due(probes, 4.9));
        assertEquals(List.of(ProbeType.READINESS), due(probes, 5));
        assertEquals(List.of(), due(probes, 5.1), "still running: never two at once");
        assertTrue(probes.record(ProbeType.READINESS, Outcome.SUCCESS, at(5.2)));
        assertTrue(probes.ready());
        assertEquals(List.of(), due(probes, 14.9));
        assertEquals(List.of(ProbeType.READINESS), due(probes, 15));
        assertFalse(probes.record(ProbeType.READINESS, Outcome.SUCCESS, at(15)), "still ready: no change");
        assertEquals(List.of(ProbeType.READINESS), due(probes, 25.05));
    }

    @Test
    void firstDueIsTheEarliestInitialDelay() {
        ContainerProbes probes = new ContainerProbes(List.of(probe(ProbeType.LIVENESS, 15, 10, 1, 3),
                probe(ProbeType.READINESS, 5, 10, 1, 3)), START);
        assertEquals(at(5), probes.firstDue());
    }

    @Test
    void readinessTurnsFalseAfterTheFailureThresholdAndBackAfterASuccess() {
        ContainerProbes probes = new ContainerProbes(List.of(probe(ProbeType.READINESS, 0, 1, 1, 3)), START);
        String[] outcomes = {"S", "F", "F", "F", "F", "S"};
        String[] ready = {"true", "true", "true", "false", "false", "true"};
        for (int i = 0; i < outcomes.length; i++) {
            assertEquals(List.of(ProbeType.READINESS), due(probes, i));
            probes.record(ProbeType.READINESS, outcomes[i].equals("S") ? Outcome.SUCCESS : Outcome.FAILURE, at(i));
            assertEquals(ready[i], String.valueOf(probes.ready()), "after probe " + (i + 1));
        }
    }

    @Test
    void aStartupProbeHoldsLivenessAndReadinessOff() {
        ContainerProbes probes = new ContainerProbes(List.of(probe(ProbeType.STARTUP, 0, 1, 1, 30),
                probe(ProbeType.LIVENESS, 0, 10, 1, 3), probe(ProbeType.READINESS, 0, 10, 1, 3)), START);
        assertFalse(probes.started());
        assertFalse(probes.ready());
        assertEquals(List.of(ProbeType.STARTUP), due(probes, 0));
        probes.record(ProbeType.STARTUP, Outcome.FAILURE, at(0));
        assertEquals(List.of(ProbeType.STARTUP), due(probes, 1), "only the startup probe runs");
        probes.record(ProbeType.STARTUP, Outcome.FAILURE, at(1));
        assertNull(probes.failedProbe(), "2 failures of 30 allowed");
        assertEquals(List.of(ProbeType.STARTUP), due(probes, 2));
        assertTrue(probes.record(ProbeType.STARTUP, Outcome.SUCCESS, at(2)), "started changed");
        assertTrue(probes.started());
        assertFalse(probes.ready(), "started, but readiness has not passed yet");
        assertEquals(List.of(ProbeType.LIVENESS, ProbeType.READINESS), due(probes, 2),
                "liveness and readiness run at once after the startup probe passed (their initial delay is over)");
        probes.record(ProbeType.LIVENESS, Outcome.SUCCESS, at(2));
        assertTrue(probes.record(ProbeType.READINESS, Outcome.SUCCESS, at(2)));
        assertTrue(probes.ready());
        assertEquals(List.of(), due(probes, 9.9), "the startup probe does not run again");
        assertEquals(List.of(ProbeType.LIVENESS, ProbeType.READINESS), due(probes, 10),
                "then on their own grid: start + initial delay + n periods");
    }

    @Test
    void aStartupProbeThatNeverPassesAsksForAKill() {
        ContainerProbes probes = new ContainerProbes(List.of(probe(ProbeType.STARTUP, 0, 1, 1, 3),
                probe(ProbeType.LIVENESS, 0, 1, 1, 3)), START);
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(ProbeType.STARTUP), due(probes, i));
            probes.record(ProbeType.STARTUP, Outcome.FAILURE, at(i));
        }
        assertEquals(ProbeType.STARTUP, probes.failedProbe());
        assertFalse(probes.started());
        assertEquals(List.of(), due(probes, 10), "on hold until the container is killed");
    }

    @Test
    void livenessFailureAsksForAKillAndStopsLivenessButNotReadiness() {
        ContainerProbes probes = new ContainerProbes(List.of(probe(ProbeType.LIVENESS, 0, 1, 1, 3),
                probe(ProbeType.READINESS, 0, 1, 1, 3)), START);
        boolean[] changed = new boolean[3];
        for (int i = 0; i < 3; i++) {
            due(probes, i);
            probes.record(ProbeType.READINESS, Outcome.SUCCESS, at(i));
            changed[i] = probes.record(ProbeType.LIVENESS, Outcome.FAILURE, at(i));
        }
        assertFalse(changed[0] || changed[1]);
        assertTrue(changed[2], "the third failure changes the state: kill");
        assertEquals(ProbeType.LIVENESS, probes.failedProbe());
        assertTrue(probes.ready(), "readiness is its own probe");
        assertEquals(List.of(ProbeType.READINESS), due(probes, 3));
    }

    @Test
    void noProbesMeansStartedAndReady() {
        ContainerProbes probes = new ContainerProbes(List.of(), START);
        assertTrue(probes.started());
        assertTrue(probes.ready());
        assertNull(probes.failedProbe());
        ContainerProbes livenessOnly = new ContainerProbes(List.of(probe(ProbeType.LIVENESS, 0, 10, 1, 3)), START);
        assertTrue(livenessOnly.ready(), "only a readiness (or startup) probe holds readiness");
    }

    @ParameterizedTest(name = "due {0}s, period {1}s, finished at {2}s -> next {3}s")
    @CsvSource(textBlock = """
            0,  10, 0,    10
            0,  10, 0.5,  10
            0,  10, 10,   10
            0,  10, 10.5, 20
            0,  10, 35,   40
            5,  1,  5.2,  6
            """)
    void nextDueSkipsPeriodsMissedBySlowProbes(double due, int period, double now, double next) {
        assertEquals(at(next), ContainerProbes.nextDue(at(due), Duration.ofSeconds(period), at(now)));
    }
}

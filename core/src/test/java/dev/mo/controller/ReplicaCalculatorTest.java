package dev.mo.controller;

import dev.mo.controller.ReplicaCalculator.PodSample;
import dev.mo.controller.ReplicaCalculator.Recommendation;
import dev.mo.controller.ReplicaCalculator.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Kubernetes' replica arithmetic (replica_calculator.go, horizontal.go), table by table. */
class ReplicaCalculatorTest {

    /** Pods given as "usage/request" with flags: "u" unready, "-" no metric (usage ignored), "x" ignored. */
    static List<PodSample> pods(String spec) {
        List<PodSample> out = new ArrayList<>();
        int i = 0;
        for (String p : spec.trim().split("\\s+")) {
            boolean unready = p.endsWith("u"), missing = p.startsWith("-"), ignored = p.endsWith("x");
            String core = p.replaceAll("[ux]$", "").replace("-", "0");
            String[] parts = core.split("/");
            Long request = parts[1].equals("none") ? null : Long.parseLong(parts[1]);
            out.add(new PodSample("web-" + i++, !unready, ignored, request, request == null ? "web" : null,
                    missing ? null : Long.parseLong(parts[0])));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} replicas, target {1}%, pods [{2}] -> {3} ({4}%)")
    @CsvSource(delimiter = '|', textBlock = """
            # current | target | pods (usage/request)             | want | utilization
            2         | 50     | 180/200 220/200                  | 4    | 100
            2         | 50     | 100/200 100/200                  | 2    | 50
            2         | 50     | 105/200 105/200                  | 2    | 52
            2         | 50     | 108/200 108/200                  | 2    | 54
            2         | 50     | 112/200 112/200                  | 3    | 56
            2         | 50     | 90/200 90/200                    | 2    | 45
            2         | 50     | 88/200 88/200                    | 2    | 44
            4         | 50     | 20/200 20/200 20/200 20/200      | 1    | 10
            3         | 70     | 250/100 250/100 250/100          | 11   | 250
            1         | 80     | 900/1000                         | 2    | 90
            # ignored (deleting/Failed) pods do not count at all
            3         | 50     | 200/200 200/200 0/200x           | 4    | 100
            # scale up: a pod without metrics counts as 0%: 200+200+0 over 600 = 66% -> ceil(3 x 1.33) = 4
            3         | 50     | 200/200 200/200 -/200            | 4    | 100
            # scale down: a pod without metrics counts as 100%: (20+20+200)/600 = 40% -> ceil(3 x 0.8) = 3
            3         | 50     | 20/200 20/200 -/200              | 3    | 10
            # scale up with unready pods: they count as 0%: (200+200+0)/600 = 66% -> 4
            3         | 50     | 200/200 200/200 300/200u         | 4    | 100
            # unready pods do not count when scaling down
            3         | 50     | 20/200 20/200 300/200u           | 1    | 10
            # with missing pods, a recomputed ratio inside tolerance means no change: (210+0)/400=52% vs 50
            2         | 50     | 210/200 -/200                    | 2    | 105
            """)
    void cpuReplicas(int current, int target, String pods, int want, int utilization) {
        Result r = ReplicaCalculator.cpuReplicas(current, target, pods(pods));
        assertNull(r.error());
        assertEquals(want, r.replicas());
        assertEquals(utilization, r.utilization());
    }

    @Test
    void aContainerWithoutCpuRequestIsAnError() {
        Result r = ReplicaCalculator.cpuReplicas(2, 50, pods("100/200 100/none"));
        assertEquals("missing request for cpu in container web of Pod web-1", r.error());
        assertEquals(2, r.replicas());
    }

    @Test
    void noReadyPodWithMetricsIsAnError() {
        assertEquals("did not receive metrics for targeted pods (pods might be unready)",
                ReplicaCalculator.cpuReplicas(2, 50, pods("-/200 -/200")).error());
        assertEquals("no pods returned by selector while calculating replica count",
                ReplicaCalculator.cpuReplicas(2, 50, List.of()).error());
    }

    @Test
    void averageUsageIsPerReadyPod() {
        assertEquals(200, ReplicaCalculator.cpuReplicas(2, 50, pods("180/200 220/200")).averageUsageMillis());
    }

    @ParameterizedTest(name = "current {0}, desired {1}, [{2},{3}] -> {4} {5}")
    @CsvSource(textBlock = """
            2, 4, 1, 10, 4, DesiredWithinRange
            2, 1, 2, 10, 2, TooFewReplicas
            2, 0, 1, 10, 1, TooFewReplicas
            4, 12, 1, 10, 8, ScaleUpLimit
            6, 12, 1, 10, 10, TooManyReplicas
            1, 9, 1, 10, 4, ScaleUpLimit
            """)
    void clamp(int current, int desired, int min, int max, int want, String reason) {
        ReplicaCalculator.Limited l = ReplicaCalculator.clamp(current, desired, min, max);
        assertEquals(want, l.replicas());
        assertEquals(reason, l.reason());
        assertEquals(!reason.equals("DesiredWithinRange"), l.limited());
    }

    @Test
    void scaleDownWaitsForTheStabilisationWindowScaleUpDoesNot() {
        Deque<Recommendation> history = new ArrayDeque<>();
        Instant t = Instant.parse("2026-01-01T12:00:00Z");
        Duration window = Duration.ofSeconds(60);
        assertEquals(5, ReplicaCalculator.stabilize(history, t, 5, window));
        assertEquals(5, ReplicaCalculator.stabilize(history, t.plusSeconds(10), 2, window), "5 is still in the window");
        assertEquals(5, ReplicaCalculator.stabilize(history, t.plusSeconds(60), 3, window), "60 s: the window includes its edge");
        assertEquals(3, ReplicaCalculator.stabilize(history, t.plusSeconds(61), 2, window), "5 left; 3 (at 60 s) remains");
        assertEquals(2, ReplicaCalculator.stabilize(history, t.plusSeconds(121), 2, window));
        assertEquals(7, ReplicaCalculator.stabilize(history, t.plusSeconds(122), 7, window), "up at once");
        assertEquals(7, ReplicaCalculator.stabilize(history, t.plusSeconds(123), 2, Duration.ofSeconds(300)));
        assertEquals(2, ReplicaCalculator.stabilize(new ArrayDeque<>(), t, 2, Duration.ZERO));

        Deque<Recommendation> often = new ArrayDeque<>();
        for (int i = 0; i < 1000; i++) ReplicaCalculator.stabilize(often, t.plusMillis(i * 100L), 3 + i % 2, window);
        assertTrue(often.size() <= 2, "history stays short: " + often.size());
    }
}

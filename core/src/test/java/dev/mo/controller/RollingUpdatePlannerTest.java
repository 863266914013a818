package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mo.controller.RollingUpdatePlanner.Limits;
import dev.mo.controller.RollingUpdatePlanner.ReplicaSetState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RollingUpdatePlannerTest {

    static JsonNode intOrPercent(String s) {
        if (s.equals("-")) return MissingNode.getInstance();
        return s.endsWith("%") ? TextNode.valueOf(s) : IntNode.valueOf(Integer.parseInt(s));
    }

    @ParameterizedTest(name = "{0} replicas, surge {1}, unavailable {2} -> {3}/{4}")
    @CsvSource({
            // replicas, maxSurge, maxUnavailable, surge, unavailable
            "10, 25%, 25%, 3, 2",   // ceil(2.5) = 3, floor(2.5) = 2
            "4,  25%, 25%, 1, 1",
            "3,  25%, 25%, 1, 0",   // ceil(0.75) = 1, floor(0.75) = 0
            "1,  25%, 25%, 1, 0",
            "3,  0,   10%, 0, 1",   // both 0 -> maxUnavailable 1
            "3,  0,   0,   0, 1",
            "3,  1,   0,   1, 0",
            "5,  2,   1,   2, 1",
            "10, 100%, 0%, 10, 0",
            "10, -,   -,   3, 2",   // missing fields: Kubernetes' default 25%
    })
    void fenceposts(int replicas, String surge, String unavailable, int wantSurge, int wantUnavailable) {
        assertEquals(new Limits(wantSurge, wantUnavailable),
                RollingUpdatePlanner.fenceposts(intOrPercent(surge), intOrPercent(unavailable), replicas));
    }

    @Test
    void maxUnavailableIsCappedByReplicas() {
        assertEquals(4, RollingUpdatePlanner.maxUnavailable(new Limits(0, 10), 4));
        assertEquals(0, RollingUpdatePlanner.maxUnavailable(new Limits(0, 10), 0));
    }

    /**
     * One step of a rollout from one old ReplicaSet to the new one. Columns: the Deployment
     * (replicas, maxSurge, maxUnavailable), the ReplicaSets as they are (old spec / available,
     * new spec / available), and what they should be after the step.
     */
    @ParameterizedTest(name = "{0} replicas surge {1} unavail {2}: old {3}/{4} new {5}/{6} -> old {7} new {8}")
    @CsvSource({
            // replicas, surge, unavail, old, oldAvail, new, newAvail, wantOld, wantNew
            // surge 1, unavailable 0: a new pod first, an old one only once it is available
            "3, 1, 0, 3, 3, 0, 0, 3, 1",
            "3, 1, 0, 3, 3, 1, 0, 3, 1",   // new pod not available: wait
            "3, 1, 0, 3, 3, 1, 1, 2, 1",   // new pod available: one old may go
            "3, 1, 0, 2, 2, 1, 1, 2, 2",   // room again for a new one
            "3, 1, 0, 1, 1, 3, 3, 0, 3",   // the last old one goes
            "3, 1, 0, 0, 0, 3, 3, 0, 3",   // done
            // surge 0, unavailable 1: an old pod first
            "3, 0, 1, 3, 3, 0, 0, 2, 0",
            "3, 0, 1, 2, 2, 0, 0, 2, 1",
            "3, 0, 1, 2, 2, 1, 0, 2, 1",   // 2 available = minimum: wait
            "3, 0, 1, 2, 2, 1, 1, 1, 1",
            // 10 replicas, 25% / 25% -> surge 3, unavailable 2
            "10, 25%, 25%, 10, 10, 0, 0, 10, 3",
            "10, 25%, 25%, 10, 10, 3, 0, 8, 3",   // 13 pods, min 8 available, 3 new unavailable: 13-8-3 = 2
            "10, 25%, 25%, 8, 8, 3, 0, 8, 5",
            // unhealthy old replicas go first, without touching the available ones
            "3, 1, 0, 3, 1, 1, 0, 3, 1",   // new unavailable: 4 - 3 - 1 = 0 -> nothing
            "3, 1, 1, 3, 1, 1, 0, 2, 1",   // 4 - 2 - 1 = 1 -> one unhealthy old pod
            // pods that never become ready: stop at the surge, keep the old ones
            "3, 1, 0, 3, 3, 1, 0, 3, 1",
            // the new ReplicaSet has more than replicas (scaled down meanwhile)
            "2, 1, 0, 0, 0, 3, 3, 0, 2",
    })
    void oneStep(int replicas, String surge, String unavailable, int old, int oldAvail, int neu, int newAvail,
                 int wantOld, int wantNew) {
        Limits limits = RollingUpdatePlanner.fenceposts(intOrPercent(surge), intOrPercent(unavailable), replicas);
        Map<String, Integer> step = RollingUpdatePlanner.step(replicas, limits,
                new ReplicaSetState("new", neu, newAvail), List.of(new ReplicaSetState("old", old, oldAvail)));
        assertEquals(wantOld, step.getOrDefault("old", old), "old: " + step);
        assertEquals(wantNew, step.getOrDefault("new", neu), "new: " + step);
        // One step at a time: never both directions at once.
        assertEquals(true, !(step.containsKey("old") && step.containsKey("new")));
    }

    @Test
    void oldestOldReplicaSetGoesFirst() {
        Map<String, Integer> step = RollingUpdatePlanner.step(4, new Limits(1, 1),
                new ReplicaSetState("new", 4, 4),
                List.of(new ReplicaSetState("v1", 1, 1), new ReplicaSetState("v2", 1, 1)));
        // 6 pods, min 3 available, 6 available -> scale down 3: v1 to 0, v2 to 0
        assertEquals(Map.of("v1", 0, "v2", 0), step);
    }

    @Test
    void staleAvailableCountsNoMoreThanTheReplicasAskedFor() {
        // Old spec just went 3 -> 2 but its status still says 3 available.
        Map<String, Integer> step = RollingUpdatePlanner.step(3, new Limits(1, 0),
                new ReplicaSetState("new", 2, 2), List.of(new ReplicaSetState("old", 2, 3)));
        assertEquals(Map.of("old", 1), step);
    }

    @Test
    void newReplicaSetTargetWorkedExample() {
        assertEquals(1, RollingUpdatePlanner.newReplicaSetTarget(3, 1, 3, 0));
        assertEquals(1, RollingUpdatePlanner.newReplicaSetTarget(3, 1, 4, 1));
        assertEquals(3, RollingUpdatePlanner.newReplicaSetTarget(10, 3, 10, 0));
        assertEquals(3, RollingUpdatePlanner.newReplicaSetTarget(3, 10, 0, 0)); // never beyond replicas
    }

    @Test
    void aResizeMidRolloutKeepsEachReplicaSetsShare() {
        // 10 replicas, surge 3: old 8 + new 5 = 13 = the ceiling. Scaled to 20: ceiling 23.
        List<RollingUpdatePlanner.Sized> sets = List.of(
                new RollingUpdatePlanner.Sized("old", 8, 13), new RollingUpdatePlanner.Sized("new", 5, 13));
        assertEquals(Map.of("old", 14, "new", 9), RollingUpdatePlanner.proportional(20, 3, 13, sets));
        // Down to 5: ceiling 8; old round(8 * 8 / 13) = 5, new round(5 * 8 / 13) = 3.
        assertEquals(Map.of("old", 5, "new", 3), RollingUpdatePlanner.proportional(5, 3, 13, sets));
        // Down to 0: everything goes.
        assertEquals(Map.of("old", 0, "new", 0), RollingUpdatePlanner.proportional(0, 3, 13, sets));
    }

    @Test
    void roundingLeftoversGoToTheLargestReplicaSet() {
        // 3 replicas, surge 1: 2 + 2 = 4 under max-replicas 4; scaled to 4 → ceiling 5, 1 to add.
        // Each share is round(2 * 5 / 4) - 2 = 1 (2.5 rounds up), but only 1 may be added in all:
        // of equal sizes the newer grows first.
        List<RollingUpdatePlanner.Sized> sets = List.of(
                new RollingUpdatePlanner.Sized("old", 2, 4), new RollingUpdatePlanner.Sized("new", 2, 4));
        assertEquals(Map.of("old", 2, "new", 3), RollingUpdatePlanner.proportional(4, 1, 4, sets));
    }
}

package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** kubectl's DeploymentStatusViewer messages, one Deployment status at a time; --timeout's syntax. */
class RolloutStatusTest {
    static ObjectNode deployment(int generation, int observed, int replicas, String status) {
        return Json.parse("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","generation":%d},
                 "spec":{"replicas":%d},"status":{"observedGeneration":%d,%s}}""".formatted(generation, replicas, observed, status));
    }

    static RolloutCommand.Progress progress(ObjectNode d) { return RolloutCommand.progress(d); }

    @Test
    void messagesFollowKubectl() {
        assertEquals("Waiting for deployment spec update to be observed...",
                progress(deployment(2, 1, 3, "\"replicas\":3")).message());
        assertEquals("Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...",
                progress(deployment(2, 2, 3, "\"replicas\":4,\"updatedReplicas\":1")).message());
        assertEquals("Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...",
                progress(deployment(2, 2, 3, "\"replicas\":4,\"updatedReplicas\":3")).message());
        assertEquals("Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...",
                progress(deployment(2, 2, 3, "\"replicas\":3,\"updatedReplicas\":3,\"availableReplicas\":2")).message());
        RolloutCommand.Progress done = progress(deployment(2, 2, 3, "\"replicas\":3,\"updatedReplicas\":3,\"availableReplicas\":3"));
        assertEquals("deployment \"web\" successfully rolled out", done.message());
        assertTrue(done.done());
        RolloutCommand.Progress failed = progress(deployment(2, 2, 3,
                "\"conditions\":[{\"type\":\"Progressing\",\"status\":\"False\",\"reason\":\"ProgressDeadlineExceeded\"}]"));
        assertEquals("deployment \"web\" exceeded its progress deadline", failed.failure());
    }

    static ObjectNode statefulSet(int observed, String strategy, String status) {
        return Json.parse("""
                {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","generation":2},
                 "spec":{"replicas":3,"updateStrategy":%s},"status":{"observedGeneration":%d,%s}}""".formatted(strategy, observed, status));
    }

    @Test
    void statefulSetMessagesFollowKubectl() {
        String partitioned = "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":1}}";
        String rolling = "{\"type\":\"RollingUpdate\"}";
        assertEquals("Waiting for statefulset spec update to be observed...",
                RolloutCommand.statefulSetProgress(statefulSet(1, rolling, "\"readyReplicas\":3")).message());
        assertEquals("Waiting for 2 pods to be ready...",
                RolloutCommand.statefulSetProgress(statefulSet(2, rolling, "\"readyReplicas\":1")).message());
        assertEquals("Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...",
                RolloutCommand.statefulSetProgress(statefulSet(2, partitioned, "\"readyReplicas\":3,\"updatedReplicas\":1")).message());
        RolloutCommand.Progress partitionDone = RolloutCommand.statefulSetProgress(
                statefulSet(2, partitioned, "\"readyReplicas\":3,\"updatedReplicas\":2"));
        assertEquals("partitioned roll out complete: 2 new pods have been updated...", partitionDone.message());
        assertTrue(partitionDone.done());
        assertEquals("waiting for statefulset rolling update to complete 1 pods at revision db-2...",
                RolloutCommand.statefulSetProgress(statefulSet(2, rolling, "\"readyReplicas\":3,\"updatedReplicas\":1,"
                        + "\"currentRevision\":\"db-1\",\"updateRevision\":\"db-2\"")).message());
        RolloutCommand.Progress done = RolloutCommand.statefulSetProgress(statefulSet(2, rolling,
                "\"readyReplicas\":3,\"currentReplicas\":3,\"currentRevision\":\"db-2\",\"updateRevision\":\"db-2\""));
        assertEquals("statefulset rolling update complete 3 pods at revision db-2...", done.message());
        assertTrue(done.done());
        assertEquals("rollout status is only available for RollingUpdate strategy type", RolloutCommand.statefulSetProgress(
                statefulSet(2, "{\"type\":\"OnDelete\"}", "\"readyReplicas\":3")).failure());
    }

    @Test
    void timeoutsUseGoDurations() {
        assertEquals(Duration.ofSeconds(60), GoDuration.parse("60s"));
        assertEquals(Duration.ofSeconds(90), GoDuration.parse("1m30s"));
        assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
        assertEquals(Duration.ZERO, GoDuration.parse("0"));
        assertEquals(Duration.ofHours(1), GoDuration.parse("1h"));
        assertThrows(CliError.class, () -> GoDuration.parse("soon"));
        assertThrows(CliError.class, () -> GoDuration.parse("5x"));
    }
}

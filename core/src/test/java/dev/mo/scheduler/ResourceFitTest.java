package dev.mo.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ControlPlane;
import dev.mo.controlplane.ObjectService;
import dev.mo.controlplane.TestClock;
import dev.mo.controlplane.TestNodes;
import dev.mo.store.Store;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Pods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/** The scheduler in a running control plane: a pod that fits nowhere waits, says why once, and is placed when room appears. */
class ResourceFitTest {
    ControlPlane cp;

    @BeforeEach
    void start() {
        cp = ControlPlane.inMemory(Clock.systemUTC(), Duration.ofMillis(100));
        cp.nodes().heartbeat(TestNodes.ready("n1", "1", "1Gi", 110));
    }

    @AfterEach
    void stop() { cp.close(); }

    static ObjectNode pod(String name, String cpu) {
        return Json.parse("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default"},
                 "spec":{"containers":[{"name":"app","image":"app:1","resources":{"requests":{"cpu":"%s","memory":"64Mi"}}}]}}"""
                .formatted(name, cpu));
    }

    ObjectNode stored(String name) { return cp.objects().require(Kind.POD, "default", name); }

    JsonNode podScheduled(String name) {
        for (JsonNode c : Json.at(stored(name), "status.conditions")) {
            if ("PodScheduled".equals(c.path("type").asText())) return c;
        }
        return Json.object();
    }

    List<ObjectNode> failedScheduling(String pod) {
        return cp.objects().list(Kind.EVENT, "default", LabelSelector.EVERYTHING).stream()
                .filter(e -> "FailedScheduling".equals(Json.text(e, "reason"))
                        && pod.equals(Json.text(e, "involvedObject.name"))).toList();
    }

    @Test
    void aPodThatFitsNowhereWaitsWithTheReasonAndIsPlacedWhenANodeWithRoomJoins() throws InterruptedException {
        cp.objects().apply(List.of(pod("big", "2")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> "Unschedulable".equals(podScheduled("big").path("reason").asText()));
        assertEquals("False", podScheduled("big").path("status").asText());
        assertEquals("0/1 nodes are available: 1 Insufficient cpu.", podScheduled("big").path("message").asText());
        assertEquals("Pending", Json.text(stored("big"), "status.phase"));
        await().atMost(Duration.ofSeconds(10)).until(() -> failedScheduling("big").size() == 1);

        Thread.sleep(500); // several cycles retry the pod: the unchanged reason is not recorded again
        List<ObjectNode> events = failedScheduling("big");
        assertEquals(1, events.size());
        assertEquals(1, events.get(0).path("count").asInt(1));
        assertEquals("Warning", Json.text(events.get(0), "type"));
        assertEquals("0/1 nodes are available: 1 Insufficient cpu.", Json.text(events.get(0), "message"));

        cp.nodes().heartbeat(TestNodes.ready("n2", "4", "8Gi", 110));
        await().atMost(Duration.ofSeconds(10)).until(() -> "n2".equals(Pods.nodeName(stored("big"))));
    }

    @Test
    void aPodWaitsUntilAnotherLeavesRoom() {
        cp.objects().apply(List.of(pod("first", "600m")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> "n1".equals(Pods.nodeName(stored("first"))));
        cp.objects().apply(List.of(pod("second", "600m")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> "Unschedulable".equals(podScheduled("second").path("reason").asText()));

        cp.objects().delete(Kind.POD, "default", "first");
        // still there while its containers stop: its cpu is not free yet
        assertNull(Pods.nodeName(stored("second")));
        cp.nodes().podTerminated("default", "first", Json.text(stored("first"), "metadata.uid"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "n1".equals(Pods.nodeName(stored("second"))));
    }

    @Test
    void theSameReasonIsRecordedAgainOnlyAfterFiveMinutes() {
        TestClock clock = new TestClock();
        ObjectService objects = new ObjectService(Store.inMemory(), clock);
        Scheduler scheduler = new Scheduler(objects);
        cp.close();
        objects.create(TestNodes.ready("n1", "1", "1Gi", 110), true);
        objects.create(pod("big", "2"), true);
        java.util.function.IntSupplier count = () -> objects.list(Kind.EVENT, "default", LabelSelector.EVERYTHING).stream()
                .filter(e -> "FailedScheduling".equals(Json.text(e, "reason"))).mapToInt(e -> e.path("count").asInt(1)).sum();

        scheduler.reconcile();
        assertEquals(1, count.getAsInt());
        clock.advance(Duration.ofMinutes(4));
        scheduler.reconcile();
        assertEquals(1, count.getAsInt(), "retried, but the reason is unchanged: not recorded again yet");
        clock.advance(Duration.ofMinutes(1));
        scheduler.reconcile();
        assertEquals(2, count.getAsInt());

        objects.create(TestNodes.ready("n2", "500m", "1Gi", 110), true);
        scheduler.reconcile();
        assertEquals(3, count.getAsInt(), "a new reason is recorded at once");
    }
}

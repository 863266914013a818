package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ControlPlane;
import dev.mo.controlplane.TestNodes;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.model.Times;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose agent goes quiet, with the timings shortened (grace 3 s, eviction 2 s; heartbeat
 * times are whole seconds, as in Kubernetes, so the grace must be well over a second): the
 * agents' part is played here, a heartbeat every 200 ms for each node still alive, and every
 * pod bound to a live node reported Running and Ready.
 */
class NodeLifecycleControllerTest {
    ControlPlane cp;
    final AtomicBoolean n2Alive = new AtomicBoolean(true);
    Thread agents;

    @BeforeEach
    void start() {
        cp = ControlPlane.inMemory(Clock.systemUTC(), Duration.ofMillis(100),
                new NodeLifecycleController.Timing(Duration.ofSeconds(3), Duration.ofSeconds(2)));
        agents = new Thread(this::playAgents);
        agents.setDaemon(true);
        agents.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        agents.interrupt();
        agents.join();
        cp.close();
    }

    void playAgents() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                cp.nodes().heartbeat(TestNodes.ready("n1"));
                if (n2Alive.get()) cp.nodes().heartbeat(TestNodes.ready("n2"));
                for (ObjectNode p : cp.objects().list(Kind.POD, "default", LabelSelector.EVERYTHING)) {
                    String node = Pods.nodeName(p);
                    boolean alive = "n1".equals(node) || ("n2".equals(node) && n2Alive.get());
                    if (alive && !Meta.deleting(p) && !Pods.isReady(p)) reportRunningAndReady(p);
                }
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the store moved under us: look again
            }
        }
    }

    void reportRunningAndReady(ObjectNode pod) {
        ObjectNode status = Json.parse("""
                {"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"%s"}],
                 "containerStatuses":[{"name":"web","ready":true,"restartCount":0,"state":{"running":{}}}]}"""
                .formatted(Times.now(Clock.systemUTC())));
        cp.nodes().reportPodStatus("default", Meta.name(pod), Meta.uid(pod), status, Map.of());
    }

    List<ObjectNode> pods() {
        return cp.objects().list(Kind.POD, "default", LabelSelector.EVERYTHING);
    }

    List<ObjectNode> podsOn(String node) {
        return pods().stream().filter(p -> node.equals(Pods.nodeName(p))).toList();
    }

    boolean event(String reason, String messagePart) {
        return cp.objects().list(Kind.EVENT, "default", LabelSelector.EVERYTHING).stream()
                .anyMatch(e -> reason.equals(Json.text(e, "reason")) && Json.text(e, "message").contains(messagePart));
    }

    String nodeReady(String name) {
        ObjectNode node = cp.objects().require(Kind.NODE, null, name);
        for (var c : Json.at(node, "status.conditions")) if ("Ready".equals(c.path("type").asText())) return c.path("status").asText();
        return null;
    }

    @Test
    void podsOfALostNodeStopGettingTrafficThenAreReplacedOnTheNodesLeft() {
        await().until(() -> cp.objects().list(Kind.NODE, null, LabelSelector.EVERYTHING).size() == 2);
        cp.objects().apply(List.of(Json.parse("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
                 "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"web:1"}]}}}}""")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOn("n1").size() == 1 && podsOn("n2").size() == 1
                && pods().stream().allMatch(Pods::isReady));
        ObjectNode lost = podsOn("n2").get(0);

        n2Alive.set(false); // its host is gone: no heartbeat, no status

        // After the grace period: the node is Unknown and its pod not ready (the Endpoints drop it).
        await().atMost(Duration.ofSeconds(10)).until(() -> "Unknown".equals(nodeReady("n2")));
        await().atMost(Duration.ofSeconds(5)).until(() -> !Pods.isReady(cp.objects().require(Kind.POD, "default", Meta.name(lost))));
        assertTrue(event("NodeNotReady", "Node is not ready"));
        assertTrue(Meta.deleting(cp.objects().require(Kind.POD, "default", Meta.name(lost))) == false,
                "not evicted before the eviction timeout");

        // After the eviction timeout: deleted (Terminating, as its agent cannot confirm), and replaced on n1.
        await().atMost(Duration.ofSeconds(10)).until(() -> Meta.deleting(cp.objects().require(Kind.POD, "default", Meta.name(lost))));
        assertTrue(event("TaintManagerEviction", "Marking for deletion Pod default/" + Meta.name(lost)));
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOn("n1").stream().filter(Pods::isReady).count() == 2);

        // The host is gone for good: deleting its node removes the pod stuck Terminating.
        cp.objects().delete(Kind.NODE, null, "n2");
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOn("n2").isEmpty());
        assertEquals(2, pods().size());
    }

    @Test
    void aStatefulSetPodOfALostNodeIsNotStartedTwice() throws InterruptedException {
        await().until(() -> cp.objects().list(Kind.NODE, null, LabelSelector.EVERYTHING).size() == 2);
        cp.objects().apply(List.of(Json.parse("""
                {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"default"},
                 "spec":{"replicas":2,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
                  "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"web","image":"db:1"}]}}}}""")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> podsOn("n1").size() == 1 && podsOn("n2").size() == 1
                && pods().stream().allMatch(Pods::isReady));
        String lost = Meta.name(podsOn("n2").get(0));

        n2Alive.set(false);
        await().atMost(Duration.ofSeconds(15)).until(() -> Meta.deleting(cp.objects().require(Kind.POD, "default", lost)));
        // Its agent cannot confirm the container stopped, so the pod stays Terminating, and the
        // set makes no second pod of that identity: the old one may still run on the lost host.
        Thread.sleep(3000);
        ObjectNode stuck = cp.objects().require(Kind.POD, "default", lost);
        assertTrue(Meta.deleting(stuck), "still Terminating");
        assertEquals("n2", Pods.nodeName(stuck));
        assertEquals(2, pods().size(), "no replacement beside it");

        // Once the node is deleted (the host is gone for good), the pod goes and the set makes it again.
        cp.objects().delete(Kind.NODE, null, "n2");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            ObjectNode again = cp.objects().get(Kind.POD, "default", lost).orElse(null);
            return again != null && !Meta.deleting(again) && "n1".equals(Pods.nodeName(again)) && Pods.isReady(again);
        });
    }

    @Test
    void aStaleHeartbeatFoundAtStartGetsAFullGracePeriod() throws InterruptedException {
        // As after a server restart: the stored heartbeat is ten minutes old, the agent may be fine.
        cp.nodes().heartbeat(Json.parse("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"old"},
                 "status":{"conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"%s"}]}}"""
                .formatted(Times.now(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10))))));
        Thread.sleep(1500); // several controller passes, within the grace period
        assertEquals("True", nodeReady("old"), "not judged by a timestamp from before this controller started");
        await().atMost(Duration.ofSeconds(10)).until(() -> "Unknown".equals(nodeReady("old")));
    }

    @Test
    void aNodeHeardAgainInTimeKeepsItsPods() {
        await().until(() -> cp.objects().list(Kind.NODE, null, LabelSelector.EVERYTHING).size() == 2);
        cp.objects().apply(List.of(Json.parse("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"solo","namespace":"default"},
                 "spec":{"nodeName":"n2","containers":[{"name":"web","image":"web:1"}]}}""")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> Pods.isReady(cp.objects().require(Kind.POD, "default", "solo")));
        n2Alive.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> "Unknown".equals(nodeReady("n2")));
        n2Alive.set(true); // back within the eviction timeout: ready again, and its agent reports the pod ready
        await().atMost(Duration.ofSeconds(10)).until(() -> "True".equals(nodeReady("n2"))
                && Pods.isReady(cp.objects().require(Kind.POD, "default", "solo")));
        try {
            Thread.sleep(3000); // past the eviction timeout counted from the first loss
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertTrue(!Meta.deleting(cp.objects().require(Kind.POD, "default", "solo")), "a node that came back keeps its pods");
    }
}

package dev.mo.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Deployment rollouts in memory, as ControlPlaneTest runs them: a background "agent" reports
 * every scheduled pod Running (Ready unless its image is {@code never-ready}) and confirms the
 * termination of deleted pods (unless told to hold them).
 */
class DeploymentRolloutTest {
    static final String REVISION = "deployment.kubernetes.io/revision";
    ControlPlane cp;
    NodeService nodes;
    Thread agent;
    volatile boolean running = true;
    volatile boolean terminate = true;
    /** The fewest ready, not-deleting pods of "web" the agent saw while watching; MAX_VALUE until it watches. */
    final AtomicInteger fewestReady = new AtomicInteger(Integer.MAX_VALUE);
    volatile boolean watching;

    static ObjectNode deployment(int replicas, String image, String extraSpec) {
        return Json.parse("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
                 "spec":{"replicas":%d,%s"selector":{"matchLabels":{"app":"web"}},
                  "template":{"metadata":{"labels":{"app":"web"}},
                   "spec":{"containers":[{"name":"web","image":"%s"}]}}}}"""
                .formatted(replicas, extraSpec.isEmpty() ? "" : extraSpec + ",", image));
    }

    static final String SURGE_1 = "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":0}}";

    static ObjectNode node(String name) { return TestNodes.ready(name); }

    @BeforeEach
    void start() {
        cp = ControlPlane.inMemory(Clock.systemUTC(), Duration.ofMillis(100));
        nodes = cp.nodes();
        nodes.heartbeat(node("n1"));
        nodes.heartbeat(node("n2"));
        agent = new Thread(this::playAgent, "test-agent");
        agent.setDaemon(true);
        agent.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        running = false;
        agent.join(2000);
        cp.close();
    }

    private void playAgent() {
        while (running) {
            try {
                List<ObjectNode> pods = pods();
                if (watching) {
                    int ready = (int) pods.stream().filter(p -> !Meta.deleting(p) && Pods.isReady(p)).count();
                    fewestReady.accumulateAndGet(ready, Math::min);
                }
                for (ObjectNode p : pods) {
                    if (Meta.deleting(p)) {
                        if (terminate) nodes.podTerminated("default", Meta.name(p), Meta.uid(p));
                    } else if (Json.text(p, "spec.nodeName") != null && !"Running".equals(Json.text(p, "status.phase"))) {
                        boolean ready = !"never-ready".equals(Json.text(p, "spec.containers.0.image"));
                        reportRunning(p, ready);
                    }
                }
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The store moved under us: look again.
            }
        }
    }

    void reportRunning(ObjectNode pod, boolean ready) {
        ObjectNode status = Json.parse("""
                {"phase":"Running","conditions":[{"type":"Ready","status":"%s","lastTransitionTime":"%s"}],
                 "containerStatuses":[{"name":"web","ready":%s,"restartCount":0,"state":{"running":{}}}]}"""
                .formatted(ready ? "True" : "False", Times.now(Clock.systemUTC()), ready));
        nodes.reportPodStatus("default", Meta.name(pod), Meta.uid(pod), status, Map.of());
    }

    List<ObjectNode> pods() {
        return cp.objects().list(Kind.POD, "default", LabelSelector.parse("app=web"));
    }

    List<ObjectNode> replicaSets() {
        return cp.objects().list(Kind.REPLICA_SET, "default", LabelSelector.EVERYTHING).stream()
                .sorted(Comparator.comparingLong(rs -> Long.parseLong(Meta.annotations(rs).get(REVISION)))).toList();
    }

    ObjectNode web() { return cp.objects().require(Kind.DEPLOYMENT, "default", "web"); }

    JsonNode condition(String type) {
        for (JsonNode c : Json.at(web(), "status.conditions")) if (type.equals(c.path("type").asText())) return c;
        return null;
    }

    String progressingReason() {
        JsonNode c = condition("Progressing");
        return c == null ? null : c.path("reason").asText();
    }

    void apply(ObjectNode d) { cp.objects().apply(List.of(d), false); }

    Set<String> images(Predicate<ObjectNode> filter) {
        return pods().stream().filter(filter).map(p -> Json.text(p, "spec.containers.0.image")).collect(Collectors.toSet());
    }

    /** Rolled out: only {@code image} pods, {@code n} of them, all available, Progressing complete. */
    void awaitRolledOut(String image, int n) {
        await().atMost(Duration.ofSeconds(15)).until(() -> pods().size() == n
                && images(p -> true).equals(Set.of(image))
                && Json.integer(web(), "status.availableReplicas", 0) == n
                && Json.integer(web(), "status.updatedReplicas", 0) == n
                && "NewReplicaSetAvailable".equals(progressingReason()));
    }

    List<String> scalingEvents() {
        return cp.objects().list(Kind.EVENT, "default", LabelSelector.EVERYTHING).stream()
                .filter(e -> "ScalingReplicaSet".equals(Json.text(e, "reason")))
                .map(e -> Json.text(e, "message")).toList();
    }

    @Test
    void aRollingUpdateWithSurgeOneNeverDropsBelowThreeReadyPods() {
        apply(deployment(3, "web:A", SURGE_1));
        awaitRolledOut("web:A", 3);
        String oldSet = Meta.name(replicaSets().get(0));
        watching = true;
        apply(deployment(3, "web:B", SURGE_1));
        awaitRolledOut("web:B", 3);
        watching = false;
        assertTrue(fewestReady.get() >= 3, "fewest ready pods during the rollout: " + fewestReady.get());

        List<ObjectNode> sets = replicaSets();
        assertEquals(2, sets.size());
        assertEquals(0, Json.integer(sets.get(0), "spec.replicas", -1));
        assertEquals(3, Json.integer(sets.get(1), "spec.replicas", -1));
        String newSet = Meta.name(sets.get(1));
        ObjectNode status = (ObjectNode) Json.at(web(), "status");
        assertEquals(3, status.path("readyReplicas").asInt());
        assertEquals(0, status.path("unavailableReplicas").asInt());
        assertEquals(Json.integer(web(), "metadata.generation", 0), status.path("observedGeneration").asInt());
        assertEquals("MinimumReplicasAvailable", condition("Available").path("reason").asText());
        assertEquals("2", Meta.annotations(web()).get(REVISION));

        List<String> events = scalingEvents();
        assertTrue(events.contains("Scaled up replica set " + newSet + " to 1 from 0"), events.toString());
        assertTrue(events.contains("Scaled down replica set " + oldSet + " to 2 from 3"), events.toString());
        assertTrue(events.contains("Scaled up replica set " + newSet + " to 3 from 2"), events.toString());
        assertTrue(events.contains("Scaled down replica set " + oldSet + " to 0 from 1"), events.toString());
    }

    @Test
    void podsThatNeverBecomeReadyStopTheRolloutAtTheSurgeAndTheDeadlineReportsIt() {
        String spec = SURGE_1 + ",\"progressDeadlineSeconds\":2";
        apply(deployment(3, "web:A", spec));
        awaitRolledOut("web:A", 3);
        apply(deployment(3, "never-ready", spec));
        await().atMost(Duration.ofSeconds(15)).until(() -> "ProgressDeadlineExceeded".equals(progressingReason()));
        JsonNode progressing = condition("Progressing");
        assertEquals("False", progressing.path("status").asText());
        assertTrue(progressing.path("message").asText().endsWith("has timed out progressing."), progressing.toString());

        List<ObjectNode> sets = replicaSets();
        assertEquals(3, Json.integer(sets.get(0), "spec.replicas", -1), "the old pods stay");
        assertEquals(1, Json.integer(sets.get(1), "spec.replicas", -1), "the new one stops at the surge");
        assertEquals(3, pods().stream().filter(p -> !Meta.deleting(p) && Pods.isReady(p)).count());
        assertEquals(1, images(p -> !Meta.deleting(p) && "never-ready".equals(Json.text(p, "spec.containers.0.image"))).size());
        assertEquals("True", condition("Available").path("status").asText());
    }

    @Test
    void recreateStopsEveryOldPodBeforeStartingANewOne() {
        String recreate = "\"strategy\":{\"type\":\"Recreate\"}";
        apply(deployment(2, "web:A", recreate));
        awaitRolledOut("web:A", 2);
        terminate = false; // the agent holds the old pods for a while
        apply(deployment(2, "web:B", recreate));
        await().atMost(Duration.ofSeconds(10)).until(() -> pods().size() == 2 && pods().stream().allMatch(Meta::deleting));
        // Give the controllers several passes: nothing new may start while old pods remain.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> images(p -> true).equals(Set.of("web:A")));
        terminate = true;
        awaitRolledOut("web:B", 2);
        assertEquals(List.of(0, 2), replicaSets().stream().map(rs -> Json.integer(rs, "spec.replicas", -1)).toList());
    }

    @Test
    void revisionsCountUpAndARollbackReusesTheOldReplicaSet() {
        apply(deployment(2, "web:A", SURGE_1));
        awaitRolledOut("web:A", 2);
        ObjectNode a = replicaSets().get(0);
        assertEquals("1", Meta.annotations(a).get(REVISION));
        apply(deployment(2, "web:B", SURGE_1));
        awaitRolledOut("web:B", 2);
        assertEquals("2", Meta.annotations(web()).get(REVISION));

        apply(deployment(2, "web:A", SURGE_1)); // back to A
        awaitRolledOut("web:A", 2);
        List<ObjectNode> sets = replicaSets();
        assertEquals(2, sets.size(), "no third ReplicaSet: A's is reused");
        ObjectNode reused = sets.get(1);
        assertEquals(Meta.uid(a), Meta.uid(reused));
        assertEquals("3", Meta.annotations(reused).get(REVISION));
        assertEquals("2", Meta.annotations(sets.get(0)).get(REVISION));
        assertEquals("3", Meta.annotations(web()).get(REVISION));
    }

    @Test
    void revisionHistoryLimitDeletesTheOldestEmptyReplicaSets() {
        String spec = SURGE_1 + ",\"revisionHistoryLimit\":1";
        for (String image : List.of("web:A", "web:B", "web:C")) {
            apply(deployment(1, image, spec));
            awaitRolledOut(image, 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> replicaSets().size() == 2);
        List<ObjectNode> sets = replicaSets();
        assertEquals(List.of("2", "3"), sets.stream().map(rs -> Meta.annotations(rs).get(REVISION)).toList());
    }

    @Test
    void aPausedDeploymentScalesButDoesNotRollOut() {
        apply(deployment(2, "web:A", SURGE_1));
        awaitRolledOut("web:A", 2);
        apply(deployment(3, "web:B", SURGE_1 + ",\"paused\":true"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "DeploymentPaused".equals(progressingReason())
                && pods().stream().filter(p -> !Meta.deleting(p)).count() == 3);
        assertEquals("Unknown", condition("Progressing").path("status").asText());
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> replicaSets().size() == 1);
        assertEquals(Set.of("web:A"), images(p -> true));
        assertEquals(3, Json.integer(replicaSets().get(0), "spec.replicas", -1), "scaling applies while paused");

        apply(deployment(3, "web:B", SURGE_1 + ",\"paused\":false"));
        awaitRolledOut("web:B", 3);
        assertEquals(2, replicaSets().size());
    }

    @Test
    void minReadySecondsDelaysAvailability() {
        apply(deployment(2, "web:A", SURGE_1 + ",\"minReadySeconds\":5"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Json.integer(web(), "status.readyReplicas", 0) == 2);
        assertEquals(0, Json.integer(web(), "status.availableReplicas", -1), "ready, but not for 5 s yet");
        assertEquals(5, Json.integer(replicaSets().get(0), "spec.minReadySeconds", -1));
        awaitRolledOut("web:A", 2);
    }
}

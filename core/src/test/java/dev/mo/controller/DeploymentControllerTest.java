package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.controlplane.TestClock;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.model.Times;
import dev.mo.store.Change;
import dev.mo.store.ObjectKey;
import dev.mo.store.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Deployment and ReplicaSet controllers, one pass at a time, on a clock the test moves:
 * no threads, no scheduler; the test makes pods Ready (and confirms nothing else).
 */
class DeploymentControllerTest {
    TestClock clock;
    ObjectService objects;
    DeploymentController deployments;
    ReplicaSetController replicaSets;

    @BeforeEach
    void setUp() {
        clock = new TestClock();
        objects = new ObjectService(Store.inMemory(), clock);
        objects.create(Json.parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"default\"}}"), true);
        deployments = new DeploymentController(objects);
        replicaSets = new ReplicaSetController(objects);
    }

    static ObjectNode deployment(int replicas, String image, String extraSpec) {
        return Json.parse("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
                 "spec":{"replicas":%d,%s"selector":{"matchLabels":{"app":"web"}},
                  "template":{"metadata":{"labels":{"app":"web"}},
                   "spec":{"containers":[{"name":"web","image":"%s"}]}}}}"""
                .formatted(replicas, extraSpec.isEmpty() ? "" : extraSpec + ",", image));
    }

    static final String SURGE_1 = "\"strategy\":{\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":0}},"
            + "\"progressDeadlineSeconds\":60";

    void apply(ObjectNode d) { objects.apply(List.of(d), false); }

    ObjectNode web() { return objects.require(Kind.DEPLOYMENT, "default", "web"); }

    List<ObjectNode> sets() {
        return objects.list(Kind.REPLICA_SET, "default", LabelSelector.EVERYTHING).stream()
                .sorted(DeploymentController.byRevision()).toList();
    }

    List<ObjectNode> pods() { return objects.list(Kind.POD, "default", LabelSelector.EVERYTHING); }

    JsonNode progressing() {
        for (JsonNode c : Json.at(web(), "status.conditions")) if ("Progressing".equals(c.path("type").asText())) return c;
        return null;
    }

    String reason() { return progressing() == null ? null : progressing().path("reason").asText(); }

    /** Plays the agent: every pod whose image is not "never-ready" turns Ready now. */
    void makeReady() {
        for (ObjectNode p : pods()) {
            if (Pods.isReady(p) || "never-ready".equals(Json.text(p, "spec.containers.0.image"))) continue;
            objects.update(ObjectKey.of(p), pod -> {
                pod.set("status", Json.parse("""
                        {"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"%s"}]}"""
                        .formatted(Times.now(clock))));
                return pod;
            }, false);
        }
    }

    long readyPods() { return pods().stream().filter(p -> !Meta.deleting(p) && Pods.isReady(p)).count(); }

    /** Passes until nothing changes; returns the fewest ready pods seen after any pass. */
    long settle() {
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < 50; i++) {
            long before = objects.store().revision();
            deployments.reconcile();
            fewest = Math.min(fewest, readyPods());
            replicaSets.reconcile();
            fewest = Math.min(fewest, readyPods());
            makeReady();
            replicaSets.reconcile();
            if (objects.store().revision() == before) return fewest;
        }
        fail("did not settle");
        return fewest;
    }

    List<String> scalingEvents() {
        return objects.events().eventsFor(web()).stream().map(e -> Json.text(e, "message")).toList();
    }

    @Test
    void aNewReplicaSetIsCreatedThenCompletes() {
        apply(deployment(3, "web:A", SURGE_1));
        deployments.reconcile();
        assertEquals("NewReplicaSetCreated", reason());
        String rs = Meta.name(sets().get(0));
        assertEquals("Created new replica set \"" + rs + "\"", progressing().path("message").asText());
        assertTrue(scalingEvents().contains("Scaled up replica set " + rs + " to 3 from 0"), scalingEvents().toString());
        settle();
        assertEquals("NewReplicaSetAvailable", reason());
        assertEquals("ReplicaSet \"" + rs + "\" has successfully progressed.", progressing().path("message").asText());
        ObjectNode status = (ObjectNode) web().get("status");
        assertEquals(3, status.path("availableReplicas").asInt());
        assertEquals(3, status.path("updatedReplicas").asInt());
        assertEquals(0, status.path("unavailableReplicas").asInt());
    }

    @Test
    void aRolloutStepsOneAtATimeAndKeepsThreeReady() {
        apply(deployment(3, "web:A", SURGE_1));
        settle();
        apply(deployment(3, "web:B", SURGE_1));
        long fewest = settle();
        assertTrue(fewest >= 3, "fewest ready: " + fewest);
        assertEquals(List.of(0, 3), sets().stream().map(rs -> Json.integer(rs, "spec.replicas", -1)).toList());
        String a = Meta.name(sets().get(0)), b = Meta.name(sets().get(1));
        // The clock stands still, so the events' order is not kept: compare them sorted.
        List<String> events = scalingEvents().stream().sorted().toList();
        assertEquals(Stream.of(
                "Scaled up replica set " + a + " to 3 from 0",
                "Scaled up replica set " + b + " to 1 from 0",
                "Scaled down replica set " + a + " to 2 from 3",
                "Scaled up replica set " + b + " to 2 from 1",
                "Scaled down replica set " + a + " to 1 from 2",
                "Scaled up replica set " + b + " to 3 from 2",
                "Scaled down replica set " + a + " to 0 from 1").sorted().toList(), events);
    }

    @Test
    void noProgressForTheDeadlineIsProgressDeadlineExceededAndProgressRevivesIt() {
        apply(deployment(3, "web:A", SURGE_1));
        settle();
        apply(deployment(3, "never-ready", SURGE_1));
        settle();
        assertEquals("ReplicaSetUpdated", reason());
        assertEquals(List.of(3, 1), sets().stream().map(rs -> Json.integer(rs, "spec.replicas", -1)).toList());

        clock.advance(Duration.ofSeconds(60));
        settle();
        assertEquals("ReplicaSetUpdated", reason(), "exactly at the deadline: not yet");
        clock.advance(Duration.ofSeconds(1));
        settle();
        assertEquals("ProgressDeadlineExceeded", reason());
        assertEquals("False", progressing().path("status").asText());
        assertEquals(List.of(3, 1), sets().stream().map(rs -> Json.integer(rs, "spec.replicas", -1)).toList());
        assertEquals("MinimumReplicasAvailable", availableReason());

        // A fixed template: the rollout goes on, and Progressing is True again.
        apply(deployment(3, "web:C", SURGE_1));
        settle();
        assertEquals("NewReplicaSetAvailable", reason());
        assertEquals("True", progressing().path("status").asText());
        assertEquals(3, readyPods());
    }

    @Test
    void minReadySecondsHoldsAvailabilityAndTheRolloutWaitsForIt() {
        String spec = SURGE_1 + ",\"minReadySeconds\":10";
        apply(deployment(2, "web:A", spec));
        settle();
        assertEquals(2, Json.integer(web(), "status.readyReplicas", -1));
        assertEquals(0, Json.integer(web(), "status.availableReplicas", -1));
        assertEquals("MinimumReplicasUnavailable", availableReason());
        clock.advance(Duration.ofSeconds(10));
        settle();
        assertEquals(2, Json.integer(web(), "status.availableReplicas", -1));
        assertEquals("MinimumReplicasAvailable", availableReason());

        apply(deployment(2, "web:B", spec));
        settle();
        // The new pod is ready, not yet available: no old pod may go.
        assertEquals(List.of(2, 1), sets().stream().map(rs -> Json.integer(rs, "spec.replicas", -1)).toList());
        clock.advance(Duration.ofSeconds(10));
        settle();
        assertEquals(List.of(1, 2), sets().stream().map(rs -> Json.integer(rs, "spec.replicas", -1)).toList());

        apply(deployment(2, "web:B", SURGE_1 + ",\"minReadySeconds\":30"));
        deployments.reconcile();
        assertEquals(30, Json.integer(sets().get(1), "spec.minReadySeconds", -1), "a new minReadySeconds reaches the ReplicaSet");
    }

    String availableReason() {
        for (JsonNode c : Json.at(web(), "status.conditions")) {
            if ("Available".equals(c.path("type").asText())) return c.path("reason").asText();
        }
        return null;
    }

    @Test
    void aPausedDeploymentReportsDeploymentPausedAndResumes() {
        apply(deployment(2, "web:A", SURGE_1));
        settle();
        apply(deployment(2, "web:B", SURGE_1 + ",\"paused\":true"));
        settle();
        assertEquals("DeploymentPaused", reason());
        assertEquals("Unknown", progressing().path("status").asText());
        assertEquals("Deployment is paused", progressing().path("message").asText());
        assertEquals(1, sets().size());

        ObjectNode resumed = deployment(2, "web:B", SURGE_1 + ",\"paused\":false");
        apply(resumed);
        deployments.reconcile();
        assertEquals(2, sets().size());
        settle();
        assertEquals("NewReplicaSetAvailable", reason());
    }

    @Test
    void theRevisionAnnotationFollowsTheNewReplicaSet() {
        apply(deployment(1, "web:A", SURGE_1));
        settle();
        apply(deployment(1, "web:B", SURGE_1));
        settle();
        apply(deployment(1, "web:A", SURGE_1));
        settle();
        List<ObjectNode> sets = sets();
        assertEquals(2, sets.size());
        assertEquals("2", Meta.annotations(sets.get(0)).get(DeploymentController.REVISION_ANNOTATION));
        assertEquals("3", Meta.annotations(sets.get(1)).get(DeploymentController.REVISION_ANNOTATION));
        assertEquals(1, Json.integer(sets.get(1), "spec.replicas", -1));
        assertEquals("3", Meta.annotations(web()).get(DeploymentController.REVISION_ANNOTATION));
    }

    @Test
    void revisionHistoryLimitZeroKeepsNoEmptyOldReplicaSets() {
        String spec = SURGE_1 + ",\"revisionHistoryLimit\":0";
        for (String image : List.of("web:A", "web:B", "web:C")) {
            apply(deployment(2, image, spec));
            settle();
        }
        assertEquals(1, sets().size());
        assertEquals("3", Meta.annotations(sets().get(0)).get(DeploymentController.REVISION_ANNOTATION));
    }

    @Test
    void recreateWaitsForTheOldPodsToBeGone() {
        String spec = "\"strategy\":{\"type\":\"Recreate\"}";
        apply(deployment(2, "web:A", spec));
        settle();
        apply(deployment(2, "web:B", spec));
        deployments.reconcile();
        assertEquals(List.of(0), sets().stream().map(rs -> Json.integer(rs, "spec.replicas", -1)).toList());
        deployments.reconcile(); // the old pods still exist: nothing new yet
        assertEquals(1, sets().size());
        settle();
        assertEquals(List.of(0, 2), sets().stream().map(rs -> Json.integer(rs, "spec.replicas", -1)).toList());
        assertEquals("NewReplicaSetAvailable", reason());
        assertEquals(2, readyPods());
        assertTrue(pods().stream().allMatch(p -> "web:B".equals(Json.text(p, "spec.containers.0.image"))));
    }

    @Test
    void aResizeInTheMiddleOfARolloutIsSharedProportionally() {
        String spec = "\"strategy\":{\"rollingUpdate\":{\"maxSurge\":3,\"maxUnavailable\":2}}";
        apply(deployment(10, "web:A", spec));
        settle();
        apply(deployment(10, "never-ready", spec));
        settle(); // stuck: new pods never become available
        assertEquals(List.of(8, 5), sets().stream().map(rs -> Json.integer(rs, "spec.replicas", -1)).toList());
        apply(deployment(20, "never-ready", spec));
        deployments.reconcile();
        assertEquals(List.of(14, 9), sets().stream().map(rs -> Json.integer(rs, "spec.replicas", -1)).toList());
        assertEquals("20", Meta.annotations(sets().get(0)).get(DeploymentController.DESIRED_REPLICAS_ANNOTATION));
        assertEquals("23", Meta.annotations(sets().get(1)).get(DeploymentController.MAX_REPLICAS_ANNOTATION));
    }

    // ---- one failing Deployment does not hold up the others ----

    /** The same Deployment as {@link #deployment}, named (and labelled) {@code api} instead of web. */
    static ObjectNode api(int replicas, String extraSpec) {
        return Json.parse(deployment(replicas, "api:A", extraSpec).toString().replace("web", "api"));
    }

    long readyPodsOf(String app) {
        return pods().stream().filter(p -> app.equals(Meta.labels(p).get("app")) && Pods.isReady(p)).count();
    }

    List<ObjectNode> syncFailures(ObjectNode involved) {
        return objects.events().eventsFor(involved).stream()
                .filter(e -> FailedSyncs.REASON.equals(Json.text(e, "reason"))).toList();
    }

    @Test
    void aDeploymentWhoseSyncFailsIsRetriedWithBackoffWhileTheOthersConverge() {
        AtomicBoolean broken = new AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        deployments = new DeploymentController(objects, d -> {
            if (!"web".equals(Meta.name(d))) return;
            attempts.incrementAndGet();
            if (broken.get()) throw new IllegalStateException("web cannot be synced");
        });
        apply(deployment(2, "web:A", SURGE_1));
        apply(api(3, SURGE_1));

        settle(); // the clock stands still: web fails once and then waits out its back-off
        assertEquals(3, readyPodsOf("api"));
        assertEquals(0, readyPodsOf("web"));
        assertTrue(sets().stream().noneMatch(rs -> Meta.name(rs).startsWith("web-")));
        assertEquals(1, attempts.get(), "not tried again before its back-off is over");

        List<ObjectNode> warnings = syncFailures(web());
        assertEquals(1, warnings.size());
        assertEquals("Warning", Json.text(warnings.get(0), "type"));
        assertEquals("web cannot be synced", Json.text(warnings.get(0), "message"));
        assertEquals("deployment-controller", Json.text(warnings.get(0), "source.component"));
        assertTrue(syncFailures(objects.require(Kind.DEPLOYMENT, "default", "api")).isEmpty());

        // 5 ms, then 10 ms, then 20 ms: each try falls due only after its delay.
        for (int failures = 1; failures <= 3; failures++) {
            Duration delay = FailedSyncs.delayAfter(failures);
            clock.advance(delay.minusMillis(1));
            deployments.reconcile();
            assertEquals(failures, attempts.get(), "tried 1 ms early after " + failures + " failures");
            clock.advance(Duration.ofMillis(1));
            deployments.reconcile();
            assertEquals(failures + 1, attempts.get(), "not tried when due after " + failures + " failures");
        }
        List<ObjectNode> afterRetries = syncFailures(web());
        assertEquals(1, afterRetries.size(), "the same error is reported once");
        assertEquals(1, afterRetries.get(0).path("count").asInt());

        broken.set(false);
        clock.advance(FailedSyncs.delayAfter(4));
        settle();
        assertEquals(2, readyPodsOf("web"));
        assertEquals("NewReplicaSetAvailable", reason());

        // A success forgets the failures: the next failure waits 5 ms again, not 80.
        broken.set(true);
        int before = attempts.get();
        deployments.reconcile();
        assertEquals(before + 1, attempts.get());
        clock.advance(Duration.ofMillis(4));
        deployments.reconcile();
        assertEquals(before + 1, attempts.get());
        clock.advance(Duration.ofMillis(1));
        deployments.reconcile();
        assertEquals(before + 2, attempts.get());
    }

    @Test
    void aFixedDeploymentIsTriedAtOnceWithoutWaitingOutItsBackoff() {
        // Written past validation (apply would reject it), as a hand-edited state directory could
        // hold it: the controller cannot read maxSurge.
        ObjectNode unreadable = deployment(2, "web:A", "\"strategy\":{\"rollingUpdate\":{\"maxSurge\":\"lots\"}}");
        objects.store().commit(List.of(Change.put(objects.newObject(unreadable))), true);
        apply(api(1, ""));

        deployments.reconcile();
        assertEquals(1, sets().size(), "api still gets its ReplicaSet");
        assertEquals("api", Meta.labels(sets().get(0)).get("app"));
        List<ObjectNode> warnings = syncFailures(web());
        assertEquals(1, warnings.size());
        assertTrue(Json.text(warnings.get(0), "message").contains("lots"), Json.text(warnings.get(0), "message"));

        // The clock does not move: only the change to web itself lets it through.
        deployments.reconcile();
        assertEquals(1, sets().size());
        apply(deployment(2, "web:A", SURGE_1));
        deployments.reconcile();
        assertEquals(2, sets().size());
        assertTrue(sets().stream().anyMatch(rs -> "web".equals(Meta.labels(rs).get("app"))));
    }

    @Test
    void aReplicaSetWhoseSyncFailsDoesNotHoldUpTheOthers() {
        apply(deployment(2, "web:A", ""));
        deployments.reconcile();
        // A ReplicaSet whose template has no spec, written past validation: it cannot make a pod.
        ObjectNode broken = Json.parse("""
                {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"broken","namespace":"default"},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"broken"}},
                  "template":{"metadata":{"labels":{"app":"broken"}}}}}""");
        objects.store().commit(List.of(Change.put(objects.newObject(broken))), true);

        replicaSets.reconcile();
        assertEquals(2, pods().stream().filter(p -> "web".equals(Meta.labels(p).get("app"))).count());
        ObjectNode stored = objects.require(Kind.REPLICA_SET, "default", "broken");
        List<ObjectNode> warnings = syncFailures(stored);
        assertEquals(1, warnings.size());
        assertEquals("replicaset-controller", Json.text(warnings.get(0), "source.component"));
    }
}

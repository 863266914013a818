package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ControlPlane;
import dev.mo.controlplane.TestClock;
import dev.mo.controlplane.TestNodes;
import dev.mo.controlplane.NodeService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.model.Times;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * StatefulSets and claims in an in-memory control plane on a clock the test moves (the
 * controllers' resync still runs in real time); the test plays the agents.
 */
class StatefulSetControllerTest {
    TestClock clock;
    ControlPlane cp;
    NodeService nodes;

    static ObjectNode statefulSet(String name, int replicas, String image, String extraSpec) {
        return Json.parse("""
                {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"%s","namespace":"default"},
                 "spec":{"serviceName":"%s","replicas":%d,"selector":{"matchLabels":{"app":"%s"}},%s
                  "template":{"metadata":{"labels":{"app":"%s"}},
                   "spec":{"containers":[{"name":"db","image":"%s"}]}},
                  "volumeClaimTemplates":[{"metadata":{"name":"data","labels":{"tier":"storage"}},
                   "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}"""
                .formatted(name, name, replicas, name, extraSpec, name, image));
    }

    static ObjectNode node(String name) { return TestNodes.ready(name); }

    @BeforeEach
    void start() {
        clock = new TestClock();
        cp = ControlPlane.inMemory(clock, Duration.ofMillis(200));
        nodes = cp.nodes();
        nodes.heartbeat(node("n1"));
        nodes.heartbeat(node("n2"));
    }

    @AfterEach
    void stop() { cp.close(); }

    void apply(ObjectNode o) { cp.objects().apply(List.of(o), false); }

    Set<String> podNames() {
        return cp.objects().list(Kind.POD, "default", LabelSelector.EVERYTHING).stream()
                .map(Meta::name).collect(Collectors.toCollection(TreeSet::new));
    }

    Optional<ObjectNode> pod(String name) { return cp.objects().get(Kind.POD, "default", name); }

    ObjectNode set(String name) { return cp.objects().require(Kind.STATEFUL_SET, "default", name); }

    /** Waits until the pod exists and is on a node, then reports it Running and Ready (since now). */
    void runReady(String name) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pod(name).map(p -> Json.text(p, "spec.nodeName") != null
                && !Meta.deleting(p)).orElse(false));
        ObjectNode p = pod(name).orElseThrow();
        ObjectNode status = Json.parse("""
                {"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"%s"}],
                 "containerStatuses":[{"name":"db","ready":true,"restartCount":0,"state":{"running":{}}}]}"""
                .formatted(Times.now(clock)));
        nodes.reportPodStatus("default", name, Meta.uid(p), status, Map.of());
    }

    /** What an agent does with a deleted pod: stop it, confirm. */
    void terminateWhenDeleting(String name) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pod(name).map(Meta::deleting).orElse(false));
        ObjectNode p = pod(name).orElseThrow();
        nodes.podTerminated("default", name, Meta.uid(p));
    }

    static void pause() {
        try {
            Thread.sleep(600); // three resyncs: enough for a controller to do what it should not
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void podsAreMadeInOrderEachAfterThePreviousIsReady() {
        apply(statefulSet("db", 3, "pg:1", ""));
        await().atMost(Duration.ofSeconds(10)).until(() -> pod("db-0").isPresent());
        pause();
        assertEquals(Set.of("db-0"), podNames(), "db-1 waits for db-0");
        runReady("db-0");
        await().atMost(Duration.ofSeconds(10)).until(() -> pod("db-1").isPresent());
        pause();
        assertEquals(Set.of("db-0", "db-1"), podNames());
        runReady("db-1");
        runReady("db-2");

        ObjectNode p = pod("db-1").orElseThrow();
        assertEquals("db-1", Json.text(p, "spec.hostname"));
        assertEquals("db", Json.text(p, "spec.subdomain"));
        assertEquals("db-1", Meta.labels(p).get("statefulset.kubernetes.io/pod-name"));
        assertEquals("db", Meta.labels(p).get("app"));
        String revision = Meta.labels(p).get("controller-revision-hash");
        assertTrue(revision.startsWith("db-"), revision);
        assertEquals(Meta.uid(set("db")), dev.mo.controlplane.ObjectService.controllerUid(p));
        assertEquals("data", Json.text(p, "spec.volumes.0.name"));
        assertEquals("data-db-1", Json.text(p, "spec.volumes.0.persistentVolumeClaim.claimName"));

        await().atMost(Duration.ofSeconds(10)).until(() -> Json.integer(set("db"), "status.readyReplicas", 0) == 3);
        ObjectNode st = set("db");
        assertEquals(3, Json.integer(st, "status.replicas", 0));
        assertEquals(3, Json.integer(st, "status.currentReplicas", 0));
        assertEquals(3, Json.integer(st, "status.updatedReplicas", 0));
        assertEquals(3, Json.integer(st, "status.availableReplicas", 0));
        assertEquals(revision, Json.text(st, "status.currentRevision"));
        assertEquals(revision, Json.text(st, "status.updateRevision"));
        assertEquals(1, Json.integer(st, "status.observedGeneration", 0));

        List<String> messages = cp.objects().list(Kind.EVENT, "default", LabelSelector.EVERYTHING).stream()
                .map(e -> Json.text(e, "message")).toList();
        assertTrue(messages.contains("create Pod db-0 in StatefulSet db successful"), messages::toString);
        assertTrue(messages.contains("create Claim data-db-0 Pod db-0 in StatefulSet db success"), messages::toString);
    }

    @Test
    void claimsAreMadePerOrdinalBoundAndOutliveTheSet() {
        apply(statefulSet("db", 2, "pg:1", "\"podManagementPolicy\":\"Parallel\","));
        await().atMost(Duration.ofSeconds(10)).until(() -> podNames().equals(Set.of("db-0", "db-1")));
        for (String name : List.of("data-db-0", "data-db-1")) {
            ObjectNode claim = cp.objects().require(Kind.PERSISTENT_VOLUME_CLAIM, "default", name);
            assertEquals("storage", Meta.labels(claim).get("tier"));
            assertEquals(List.of(), Json.at(claim, "metadata.ownerReferences").findValuesAsText("uid"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "Bound".equals(Json.text(
                cp.objects().require(Kind.PERSISTENT_VOLUME_CLAIM, "default", "data-db-0"), "status.phase")));
        // the claim remembers the node of its first pod
        runReady("db-0");
        String node = Json.text(pod("db-0").orElseThrow(), "spec.nodeName");
        await().atMost(Duration.ofSeconds(10)).until(() -> node.equals(Meta.annotations(
                cp.objects().require(Kind.PERSISTENT_VOLUME_CLAIM, "default", "data-db-0")).get("mo.dev/node")));

        cp.objects().delete(Kind.STATEFUL_SET, "default", "db");
        terminateWhenDeleting("db-0");
        terminateWhenDeleting("db-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> podNames().isEmpty());
        pause();
        assertEquals(2, cp.objects().list(Kind.PERSISTENT_VOLUME_CLAIM, "default", LabelSelector.EVERYTHING).size());
    }

    @Test
    void scalingDownRemovesTheHighestOrdinalFirstOneAtATime() {
        apply(statefulSet("db", 3, "pg:1", ""));
        runReady("db-0");
        runReady("db-1");
        runReady("db-2");
        apply(statefulSet("db", 1, "pg:1", ""));
        await().atMost(Duration.ofSeconds(10)).until(() -> pod("db-2").map(Meta::deleting).orElse(false));
        pause();
        assertFalse(Meta.deleting(pod("db-1").orElseThrow()), "db-1 waits until db-2 is gone");
        terminateWhenDeleting("db-2");
        terminateWhenDeleting("db-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> podNames().equals(Set.of("db-0")));
        // claims stay for a later scale-up (whenScaled: Retain)
        assertEquals(3, cp.objects().list(Kind.PERSISTENT_VOLUME_CLAIM, "default", LabelSelector.EVERYTHING).size());
    }

    @Test
    void parallelMakesAllPodsAtOnce() {
        apply(statefulSet("db", 3, "pg:1", "\"podManagementPolicy\":\"Parallel\","));
        await().atMost(Duration.ofSeconds(10)).until(() -> podNames().equals(Set.of("db-0", "db-1", "db-2")));
    }

    String revisionOf(String pod) {
        return Meta.labels(pod(pod).orElseThrow()).get("controller-revision-hash");
    }

    @Test
    void aRollingUpdateReplacesFromTheHighestOrdinalOneAtATime() {
        apply(statefulSet("db", 3, "pg:1", ""));
        runReady("db-0");
        runReady("db-1");
        runReady("db-2");
        String oldRevision = revisionOf("db-0");
        await().atMost(Duration.ofSeconds(10)).until(() -> oldRevision.equals(Json.text(set("db"), "status.currentRevision")));
        String node2 = Json.text(pod("db-2").orElseThrow(), "spec.nodeName");
        await().atMost(Duration.ofSeconds(10)).until(() -> node2.equals(Meta.annotations(
                cp.objects().require(Kind.PERSISTENT_VOLUME_CLAIM, "default", "data-db-2")).get("mo.dev/node")));
        apply(statefulSet("db", 3, "pg:2", ""));
        String newRevision = StatefulSetController.revisionOf(set("db"));
        assertNotEquals(oldRevision, newRevision);

        terminateWhenDeleting("db-2");
        assertFalse(Meta.deleting(pod("db-1").orElseThrow()));
        runReady("db-2");
        assertEquals(newRevision, revisionOf("db-2"));
        assertEquals("pg:2", Json.text(pod("db-2").orElseThrow(), "spec.containers.0.image"));
        assertEquals(node2, Json.text(pod("db-2").orElseThrow(), "spec.nodeName"), "the new db-2 goes where its data is");
        terminateWhenDeleting("db-1");
        pause();
        assertFalse(Meta.deleting(pod("db-0").orElseThrow()), "db-0 waits until db-1 is back and ready");
        runReady("db-1");
        terminateWhenDeleting("db-0");
        runReady("db-0");
        await().atMost(Duration.ofSeconds(10)).until(() -> newRevision.equals(Json.text(set("db"), "status.currentRevision")));
        assertEquals(3, Json.integer(set("db"), "status.updatedReplicas", 0));
        assertEquals(newRevision, Json.text(set("db"), "status.updateRevision"));
    }

    @Test
    void aPartitionKeepsLowerOrdinalsOnTheOldRevision() {
        apply(statefulSet("db", 3, "pg:1", ""));
        runReady("db-0");
        runReady("db-1");
        runReady("db-2");
        String oldRevision = revisionOf("db-0");
        apply(statefulSet("db", 3, "pg:2", "\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":2}},"));
        terminateWhenDeleting("db-2");
        runReady("db-2");
        pause();
        assertEquals(oldRevision, revisionOf("db-1"));
        assertEquals(oldRevision, revisionOf("db-0"));
        assertFalse(Meta.deleting(pod("db-1").orElseThrow()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Json.integer(set("db"), "status.updatedReplicas", 0) == 1
                && Json.integer(set("db"), "status.currentReplicas", 0) == 2);
        assertEquals(oldRevision, Json.text(set("db"), "status.currentRevision"));
    }

    int status(String field) { return Json.integer(set("db"), "status." + field, -1); }

    @Test
    void minReadySecondsHoldsAvailabilityAndTheNextOrdinalUntilAResyncSeesItPass() {
        apply(statefulSet("db", 2, "pg:1", "\"minReadySeconds\":10,"));
        runReady("db-0");
        await().atMost(Duration.ofSeconds(10)).until(() -> status("readyReplicas") == 1);
        pause();
        assertEquals(0, status("availableReplicas"), "ready for 0 of 10 s");
        assertEquals(Set.of("db-0"), podNames(), "OrderedReady waits for db-0 to be available, not just ready");

        clock.advance(Duration.ofSeconds(9));
        pause();
        assertEquals(0, status("availableReplicas"));
        assertEquals(Set.of("db-0"), podNames());

        // Nothing is written from here on: only the controllers' resync can notice the time.
        clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> status("availableReplicas") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> pod("db-1").isPresent());
    }

    @Test
    void aRollingUpdateWaitsForEachNewPodToBeAvailable() {
        apply(statefulSet("db", 2, "pg:1", "\"minReadySeconds\":10,"));
        runReady("db-0");
        clock.advance(Duration.ofSeconds(10));
        runReady("db-1");
        clock.advance(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> status("availableReplicas") == 2);

        apply(statefulSet("db", 2, "pg:2", "\"minReadySeconds\":10,"));
        terminateWhenDeleting("db-1");
        runReady("db-1");
        pause();
        assertFalse(Meta.deleting(pod("db-0").orElseThrow()), "the new db-1 is ready, not yet available");
        assertEquals(1, status("availableReplicas"));
        clock.advance(Duration.ofSeconds(10));
        terminateWhenDeleting("db-0");
        assertEquals("pg:2", Json.text(pod("db-1").orElseThrow(), "spec.containers.0.image"));
    }

    @Test
    void onDeleteLeavesPodsAloneAndRemakesADeletedPodFromTheNewTemplate() {
        String onDelete = "\"updateStrategy\":{\"type\":\"OnDelete\"},";
        apply(statefulSet("db", 2, "pg:1", onDelete));
        runReady("db-0");
        runReady("db-1");
        String oldRevision = revisionOf("db-0");
        await().atMost(Duration.ofSeconds(10)).until(() -> status("readyReplicas") == 2);

        apply(statefulSet("db", 2, "pg:2", onDelete));
        String newRevision = StatefulSetController.revisionOf(set("db"));
        await().atMost(Duration.ofSeconds(10)).until(() -> newRevision.equals(Json.text(set("db"), "status.updateRevision")));
        pause();
        assertFalse(Meta.deleting(pod("db-1").orElseThrow()), "OnDelete: no pod is replaced by the controller");
        assertFalse(Meta.deleting(pod("db-0").orElseThrow()));
        assertEquals(0, status("updatedReplicas"));
        assertEquals(2, status("currentReplicas"));
        assertEquals(oldRevision, Json.text(set("db"), "status.currentRevision"));

        // the user deletes db-0: it comes back with the new template, db-1 keeps the old one
        cp.objects().delete(Kind.POD, "default", "db-0");
        terminateWhenDeleting("db-0");
        runReady("db-0");
        assertEquals("pg:2", Json.text(pod("db-0").orElseThrow(), "spec.containers.0.image"));
        assertEquals(newRevision, revisionOf("db-0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> status("updatedReplicas") == 1 && status("currentReplicas") == 1
                && status("readyReplicas") == 2);
        assertEquals("pg:1", Json.text(pod("db-1").orElseThrow(), "spec.containers.0.image"));
        assertEquals(oldRevision, Json.text(set("db"), "status.currentRevision"));

        // every pod updated and ready: the update is complete
        cp.objects().delete(Kind.POD, "default", "db-1");
        terminateWhenDeleting("db-1");
        runReady("db-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> newRevision.equals(Json.text(set("db"), "status.currentRevision")));
        assertEquals(2, status("updatedReplicas"));
    }

    Optional<ObjectNode> claim(String name) { return cp.objects().get(Kind.PERSISTENT_VOLUME_CLAIM, "default", name); }

    List<String> ownerKinds(String claim) {
        return Json.at(claim(claim).orElseThrow(), "metadata.ownerReferences").findValuesAsText("kind");
    }

    static final String DELETE_WHEN_SCALED = "\"persistentVolumeClaimRetentionPolicy\":{\"whenScaled\":\"Delete\"},";

    @Test
    void whenScaledDeleteRemovesTheClaimsOfScaledAwayOrdinalsOnceTheirPodsAreGone() {
        apply(statefulSet("db", 3, "pg:1", DELETE_WHEN_SCALED));
        runReady("db-0");
        runReady("db-1");
        runReady("db-2");
        assertEquals(List.of(), ownerKinds("data-db-2"), "in range, whenDeleted: Retain: nobody owns it");

        apply(statefulSet("db", 1, "pg:1", DELETE_WHEN_SCALED));
        await().atMost(Duration.ofSeconds(10)).until(() -> pod("db-2").map(Meta::deleting).orElse(false));
        assertEquals(List.of(Meta.uid(pod("db-2").orElseThrow())),
                Json.at(claim("data-db-2").orElseThrow(), "metadata.ownerReferences").findValuesAsText("uid"));
        pause();
        assertFalse(Meta.deleting(claim("data-db-2").orElseThrow()), "its pod is still stopping: the claim stays");
        terminateWhenDeleting("db-2");
        await().atMost(Duration.ofSeconds(10)).until(() -> claim("data-db-2").isEmpty());
        terminateWhenDeleting("db-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> claim("data-db-1").isEmpty());
        pause();
        assertTrue(claim("data-db-0").isPresent());
        assertEquals(Set.of("db-0"), podNames());
    }

    @Test
    void aPodScaledBackUpWaitsForItsOldClaimToGoAndGetsAFreshOne() {
        apply(statefulSet("db", 2, "pg:1", DELETE_WHEN_SCALED));
        runReady("db-0");
        runReady("db-1");
        String oldClaimUid = Meta.uid(claim("data-db-1").orElseThrow());
        apply(statefulSet("db", 1, "pg:1", DELETE_WHEN_SCALED));
        await().atMost(Duration.ofSeconds(10)).until(() -> pod("db-1").map(Meta::deleting).orElse(false));
        apply(statefulSet("db", 2, "pg:1", DELETE_WHEN_SCALED));
        terminateWhenDeleting("db-1");
        runReady("db-1");
        ObjectNode fresh = claim("data-db-1").orElseThrow();
        assertNotEquals(oldClaimUid, Meta.uid(fresh), "the claim owned by the old db-1 went with it");
        assertFalse(Meta.deleting(fresh));
        assertEquals(List.of(), ownerKinds("data-db-1"));
    }

    @Test
    void whenDeletedDeleteRemovesTheClaimsWithTheSetOnceItsPodsAreGone() {
        String policy = "\"podManagementPolicy\":\"Parallel\","
                + "\"persistentVolumeClaimRetentionPolicy\":{\"whenDeleted\":\"Delete\",\"whenScaled\":\"Retain\"},";
        apply(statefulSet("db", 2, "pg:1", policy));
        await().atMost(Duration.ofSeconds(10)).until(() -> podNames().equals(Set.of("db-0", "db-1")));
        runReady("db-0");
        runReady("db-1");
        assertEquals(List.of(Meta.uid(set("db"))),
                Json.at(claim("data-db-0").orElseThrow(), "metadata.ownerReferences").findValuesAsText("uid"));

        cp.objects().delete(Kind.STATEFUL_SET, "default", "db");
        await().atMost(Duration.ofSeconds(10)).until(() -> claim("data-db-0").map(Meta::deleting).orElse(false));
        pause();
        assertTrue(claim("data-db-0").isPresent(), "db-0 still uses it: kubernetes.io/pvc-protection keeps it");
        terminateWhenDeleting("db-0");
        terminateWhenDeleting("db-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> claim("data-db-0").isEmpty() && claim("data-db-1").isEmpty());
    }

    @Test
    void ordinalsStartNamesThePodsFromStartAndScalingKeepsToThatRange() {
        String fromFive = "\"ordinals\":{\"start\":5},";
        apply(statefulSet("db", 2, "pg:1", fromFive));
        runReady("db-5");
        runReady("db-6");
        assertEquals(Set.of("db-5", "db-6"), podNames());
        assertEquals("data-db-6", Json.text(pod("db-6").orElseThrow(), "spec.volumes.0.persistentVolumeClaim.claimName"));
        assertTrue(claim("data-db-5").isPresent());
        assertTrue(claim("data-db-0").isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> status("readyReplicas") == 2 && status("replicas") == 2);

        apply(statefulSet("db", 1, "pg:1", fromFive));
        terminateWhenDeleting("db-6");
        pause();
        assertEquals(Set.of("db-5"), podNames());

        // a new start: the new range is made first, then the pods outside it go
        apply(statefulSet("db", 1, "pg:1", "\"ordinals\":{\"start\":3},"));
        runReady("db-3");
        terminateWhenDeleting("db-5");
        await().atMost(Duration.ofSeconds(10)).until(() -> podNames().equals(Set.of("db-3")));
    }
}

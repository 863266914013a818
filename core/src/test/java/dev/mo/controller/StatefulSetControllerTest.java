package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ControlPlane;
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

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/** StatefulSets and claims in an in-memory control plane; the test plays the agents. */
class StatefulSetControllerTest {
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
        cp = ControlPlane.inMemory(Clock.systemUTC(), Duration.ofMillis(200));
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

    /** Waits until the pod exists and is on a node, then reports it Running and Ready. */
    void runReady(String name) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pod(name).map(p -> Json.text(p, "spec.nodeName") != null
                && !Meta.deleting(p)).orElse(false));
        ObjectNode p = pod(name).orElseThrow();
        ObjectNode status = Json.parse("""
                {"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
                 "containerStatuses":[{"name":"db","ready":true,"restartCount":0,"state":{"running":{}}}]}""");
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
}

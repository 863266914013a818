package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ControlPlane;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

class PersistentVolumeClaimControllerTest {
    ControlPlane cp;

    @BeforeEach
    void start() { cp = ControlPlane.inMemory(Clock.systemUTC(), Duration.ofMillis(200)); }

    @AfterEach
    void stop() { cp.close(); }

    static ObjectNode claim(String size) {
        return Json.parse("""
                {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"uploads","namespace":"default"},
                 "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"%s"}}}}""".formatted(size));
    }

    ObjectNode stored() { return cp.objects().require(Kind.PERSISTENT_VOLUME_CLAIM, "default", "uploads"); }

    @Test
    void aClaimIsBoundAtOnceWithTheCapacityItAsksFor() {
        cp.objects().apply(List.of(claim("1Gi")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> "Bound".equals(Json.text(stored(), "status.phase")));
        assertEquals("1Gi", Json.text(stored(), "status.capacity.storage"));
        assertEquals("ReadWriteOnce", Json.text(stored(), "status.accessModes.0"));
    }

    @Test
    void aGrownRequestIsReflectedInTheCapacityWithAnEvent() {
        cp.objects().apply(List.of(claim("1Gi")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> "1Gi".equals(Json.text(stored(), "status.capacity.storage")));
        cp.objects().apply(List.of(claim("5Gi")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> "5Gi".equals(Json.text(stored(), "status.capacity.storage")));
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().list(Kind.EVENT, "default", LabelSelector.EVERYTHING)
                .stream().anyMatch(e -> "FileSystemResizeSuccessful".equals(Json.text(e, "reason"))
                        && Json.text(e, "message").contains("no fixed size")));
    }

    @Test
    void theFirstBoundPodDecidesTheNode() {
        ObjectNode a = Json.parse("""
                {"metadata":{"namespace":"default","creationTimestamp":"2026-01-01T00:00:01Z"},
                 "spec":{"nodeName":"n2","volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"uploads"}}]}}""");
        ObjectNode b = Json.parse("""
                {"metadata":{"namespace":"default","creationTimestamp":"2026-01-01T00:00:00Z"},
                 "spec":{"nodeName":"n1","volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"uploads"}}]}}""");
        assertEquals("n1", PersistentVolumeClaimController.claimNodes(List.of(a, b)).get("default/uploads"));
    }

    static ObjectNode podUsing(String namespace, String claim) {
        return Json.parse("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"db","namespace":"%s"},
                 "spec":{"containers":[{"name":"db","image":"postgres:16"}],
                  "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"%s"}}]}}""".formatted(namespace, claim));
    }

    void playAgentOn(String node) {
        cp.nodes().heartbeat(dev.mo.controlplane.TestNodes.ready(node));
    }

    @Test
    void aClaimInUseIsOnlyMarkedWhenDeletedAndGoesWithItsLastPod() {
        playAgentOn("n1");
        cp.objects().apply(List.of(claim("1Gi"), podUsing("default", "uploads")), false);
        assertTrue(Meta.hasFinalizer(stored(), ObjectService.PVC_PROTECTION));
        await().atMost(Duration.ofSeconds(10)).until(() -> "n1".equals(Pods.nodeName(pod("default"))));

        cp.objects().delete(Kind.PERSISTENT_VOLUME_CLAIM, "default", "uploads");
        assertNotNull(Json.text(stored(), "metadata.deletionTimestamp"));
        cp.objects().delete(Kind.POD, "default", "db");
        // the pod is stopping, not gone: it still uses the claim
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> cp.objects().get(Kind.PERSISTENT_VOLUME_CLAIM, "default", "uploads").isPresent());
        assertTrue(Meta.hasFinalizer(stored(), ObjectService.PVC_PROTECTION));

        cp.nodes().podTerminated("default", "db", Meta.uid(pod("default")));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cp.objects().get(Kind.PERSISTENT_VOLUME_CLAIM, "default", "uploads").isEmpty());
    }

    @Test
    void aClaimNoPodUsesGoesAtOnce() {
        cp.objects().apply(List.of(claim("1Gi")), false);
        cp.objects().delete(Kind.PERSISTENT_VOLUME_CLAIM, "default", "uploads");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cp.objects().get(Kind.PERSISTENT_VOLUME_CLAIM, "default", "uploads").isEmpty());
    }

    @Test
    void aDeletedNamespaceWaitsForItsClaimsToGo() {
        playAgentOn("n1");
        ObjectNode ns = Json.parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}");
        ObjectNode claim = claim("1Gi");
        Json.objectAt(claim, "metadata").put("namespace", "shop");
        cp.objects().apply(List.of(ns, claim, podUsing("shop", "uploads")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> "n1".equals(Pods.nodeName(pod("shop"))));

        cp.objects().delete(Kind.NAMESPACE, null, "shop");
        await().atMost(Duration.ofSeconds(10)).until(() -> Meta.deleting(pod("shop")));
        assertTrue(cp.objects().get(Kind.NAMESPACE, null, "shop").isPresent());
        cp.nodes().podTerminated("shop", "db", Meta.uid(pod("shop")));
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().get(Kind.NAMESPACE, null, "shop").isEmpty());
        assertTrue(cp.objects().list(Kind.PERSISTENT_VOLUME_CLAIM, "shop", LabelSelector.EVERYTHING).isEmpty());
    }

    ObjectNode pod(String namespace) { return cp.objects().require(Kind.POD, namespace, "db"); }
}

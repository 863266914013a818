package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ControlPlane;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
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
}

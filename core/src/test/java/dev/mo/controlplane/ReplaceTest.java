package dev.mo.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** PUT: apply's rules for one object, plus optimistic concurrency on metadata.resourceVersion. */
class ReplaceTest {
    ControlPlane cp;
    ObjectService objects;

    @BeforeEach
    void start() {
        cp = ControlPlane.inMemory(Clock.systemUTC(), Duration.ofMillis(100));
        objects = cp.objects();
    }

    @AfterEach
    void stop() { cp.close(); }

    static ObjectNode configMap(String value) {
        return Json.parse("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default",
                 "annotations":{"mo.dev/owner":"kept"}},"data":{"k":"%s"}}""".formatted(value));
    }

    @Test
    void replaceKeepsWhatMoOwnsAndChecksTheVersion() {
        objects.apply(List.of(configMap("1")), false);
        ObjectNode stored = objects.require(Kind.CONFIG_MAP, "default", "c");

        ObjectNode body = configMap("2");
        ((ObjectNode) body.get("metadata")).remove("annotations");
        Json.objectAt(body, "metadata").put("resourceVersion", Json.text(stored, "metadata.resourceVersion"));
        ObjectNode replaced = objects.replace(Kind.CONFIG_MAP, "default", "c", body);
        assertEquals("2", Json.text(replaced, "data.k"));
        assertEquals(Meta.uid(stored), Meta.uid(replaced));
        assertEquals(Json.text(stored, "metadata.creationTimestamp"), Json.text(replaced, "metadata.creationTimestamp"));
        assertEquals("kept", Meta.annotations(replaced).get("mo.dev/owner"));
        assertNotEquals(Json.text(stored, "metadata.resourceVersion"), Json.text(replaced, "metadata.resourceVersion"));

        ApiError stale = assertThrows(ApiError.class, () -> objects.replace(Kind.CONFIG_MAP, "default", "c", body));
        assertEquals(409, stale.status());
        assertEquals("Conflict", stale.reason());
        assertEquals("Operation cannot be fulfilled on configmaps \"c\": the object has been modified;"
                + " please apply your changes to the latest version and try again", stale.getMessage());

        ObjectNode unconditional = configMap("3"); // no resourceVersion: last write wins, as in Kubernetes
        assertEquals("3", Json.text(objects.replace(Kind.CONFIG_MAP, "default", "c", unconditional), "data.k"));
    }

    @Test
    void replaceRefusesAMismatchedNameAndAMissingObject() {
        objects.apply(List.of(configMap("1")), false);
        assertEquals(400, assertThrows(ApiError.class,
                () -> objects.replace(Kind.CONFIG_MAP, "default", "other", configMap("2"))).status());
        ObjectNode elsewhere = configMap("2");
        Json.objectAt(elsewhere, "metadata").put("name", "gone");
        assertEquals(404, assertThrows(ApiError.class,
                () -> objects.replace(Kind.CONFIG_MAP, "default", "gone", elsewhere)).status());
    }
}

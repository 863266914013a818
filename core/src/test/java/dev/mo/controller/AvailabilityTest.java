package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvailabilityTest {
    static ObjectNode pod(String ready, String since) {
        return Json.parse("""
                {"status":{"conditions":[{"type":"Ready","status":"%s"%s}]}}"""
                .formatted(ready, since == null ? "" : ",\"lastTransitionTime\":\"" + since + "\""));
    }

    @Test
    void readyForMinReadySecondsIsAvailable() {
        ObjectNode p = pod("True", "2026-01-01T12:00:00Z");
        assertTrue(Availability.isAvailable(p, 0, Instant.parse("2026-01-01T12:00:00Z")));
        assertFalse(Availability.isAvailable(p, 10, Instant.parse("2026-01-01T12:00:05Z")));
        assertTrue(Availability.isAvailable(p, 10, Instant.parse("2026-01-01T12:00:10Z")));
    }

    @Test
    void notReadyOrNoTransitionTimeIsNotAvailable() {
        assertFalse(Availability.isAvailable(pod("False", "2026-01-01T12:00:00Z"), 0, Instant.parse("2026-01-01T13:00:00Z")));
        assertFalse(Availability.isAvailable(pod("True", null), 10, Instant.parse("2026-01-01T13:00:00Z")));
        assertTrue(Availability.isAvailable(pod("True", null), 0, Instant.parse("2026-01-01T13:00:00Z")));
        assertFalse(Availability.isAvailable(Json.parse("{\"status\":{}}"), 0, Instant.parse("2026-01-01T13:00:00Z")));
    }
}

package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Times;

import java.time.Instant;

/**
 * Kubernetes' {@code IsPodAvailable}: a pod is available when it is Ready and has been for
 * {@code minReadySeconds}. Example: minReadySeconds 10, Ready since 12:00:00; at 12:00:05 the
 * pod is ready but not available; from 12:00:10 it is both. With minReadySeconds 0, ready
 * means available. A Ready condition without a lastTransitionTime never counts as "long
 * enough" (as in Kubernetes).
 */
public final class Availability {
    private Availability() {}

    public static boolean isAvailable(ObjectNode pod, int minReadySeconds, Instant now) {
        for (JsonNode c : Json.at(pod, "status.conditions")) {
            if (!"Ready".equals(c.path("type").asText())) continue;
            if (!"True".equals(c.path("status").asText())) return false;
            if (minReadySeconds <= 0) return true;
            String since = c.path("lastTransitionTime").asText("");
            if (since.isEmpty()) return false;
            return !Times.parse(since).plusSeconds(minReadySeconds).isAfter(now);
        }
        return false;
    }
}

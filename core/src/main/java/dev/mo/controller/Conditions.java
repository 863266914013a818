package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Times;

import java.time.Clock;

/**
 * Sets a status condition as Kubernetes does: {@code lastTransitionTime} moves only when the
 * status flips, {@code lastUpdateTime} whenever reason or message change.
 */
public final class Conditions {
    private Conditions() {}

    public static void set(ObjectNode status, String type, String value, String reason, String message, Clock clock) {
        ArrayNode list = status.has("conditions") ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        ObjectNode cond = null;
        for (JsonNode c : list) {
            if (type.equals(c.path("type").asText())) cond = (ObjectNode) c;
        }
        String now = Times.now(clock);
        if (cond == null) {
            cond = list.addObject();
            cond.put("type", type);
            cond.put("lastTransitionTime", now);
        } else if (!value.equals(cond.path("status").asText())) {
            cond.put("lastTransitionTime", now);
        }
        boolean changed = !value.equals(cond.path("status").asText()) || !reason.equals(cond.path("reason").asText())
                || !message.equals(cond.path("message").asText());
        cond.put("status", value);
        cond.put("reason", reason);
        cond.put("message", message);
        if (changed || !cond.has("lastUpdateTime")) cond.put("lastUpdateTime", now);
    }
}

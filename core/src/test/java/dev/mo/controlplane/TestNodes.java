package dev.mo.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Times;

import java.time.Clock;

/** Node objects as an agent posts them, for tests that play the agents' part. */
public final class TestNodes {
    private TestNodes() {}

    /** A Ready node that heartbeated just now, labelled with its hostname as agents label theirs. */
    public static ObjectNode ready(String name) {
        return Json.parse("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s"}},
                 "status":{"conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"%s"}]}}"""
                .formatted(name, name, Times.now(Clock.systemUTC())));
    }

    /** A Ready node that reports what it can give its pods ({@code status.allocatable}), as agents do. */
    public static ObjectNode ready(String name, String cpu, String memory, int pods) {
        ObjectNode node = ready(name);
        Json.objectAt(node, "status.allocatable").put("cpu", cpu).put("memory", memory).put("pods", Integer.toString(pods));
        return node;
    }
}

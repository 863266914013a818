package dev.mo.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Times;

import java.time.Clock;

/** Node objects as an agent posts them, for tests that play the agents' part. */
public final class TestNodes {
    private TestNodes() {}

    /** A Ready node that heartbeated just now. */
    public static ObjectNode ready(String name) {
        return Json.parse("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s"},
                 "status":{"conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"%s"}]}}"""
                .formatted(name, Times.now(Clock.systemUTC())));
    }
}

package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Times;
import dev.mo.store.ObjectKey;

import java.time.Duration;
import java.time.Instant;

/**
 * Marks a node whose agent has gone quiet: after 40 s without a heartbeat (Kubernetes'
 * node-monitor-grace-period) its Ready condition becomes Unknown, so the scheduler stops
 * placing pods there. The next heartbeat sets it back.
 */
public final class NodeLifecycleController implements Controller {
    public static final Duration GRACE = Duration.ofSeconds(40);

    private final ObjectService objects;

    public NodeLifecycleController(ObjectService objects) { this.objects = objects; }

    @Override
    public String name() { return "node-lifecycle"; }

    @Override
    public void reconcile() {
        Instant cutoff = objects.clock().instant().minus(GRACE);
        for (ObjectNode node : objects.store().list(Kind.NODE, null)) {
            for (JsonNode c : Json.at(node, "status.conditions")) {
                if (!"Ready".equals(c.path("type").asText()) || "Unknown".equals(c.path("status").asText())) continue;
                Instant last = Times.parse(c.path("lastHeartbeatTime").asText(null));
                if (last != null && last.isBefore(cutoff)) markUnknown(node);
            }
        }
    }

    private void markUnknown(ObjectNode node) {
        objects.update(ObjectKey.of(node), n -> {
            for (JsonNode c : Json.at(n, "status.conditions")) {
                if ("Ready".equals(c.path("type").asText())) {
                    ObjectNode cond = (ObjectNode) c;
                    cond.put("status", "Unknown");
                    cond.put("reason", "NodeStatusUnknown");
                    cond.put("message", "Kubelet stopped posting node status.");
                    cond.put("lastTransitionTime", Times.now(objects.clock()));
                }
            }
            return n;
        }, true).ifPresent(n -> objects.events().normal(n, "NodeNotReady",
                "Node " + n.at("/metadata/name").asText() + " status is now: NodeNotReady", "node-controller"));
    }
}

package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.model.Times;
import dev.mo.store.ObjectKey;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What happens when a node's agent goes quiet, with Kubernetes' default timings:
 * <ol>
 * <li>No heartbeat for {@code nodeMonitorGracePeriod} (40 s): the node's Ready condition becomes
 *     Unknown, so the scheduler places nothing there, and its pods get Ready=False, so the
 *     Endpoints drop them and no proxy sends them traffic.</li>
 * <li>Still not ready {@code podEvictionTimeout} later (5 min: what Kubernetes' default
 *     tolerations for {@code node.kubernetes.io/unreachable} allow): its pods are deleted. They
 *     stay Terminating until that agent comes back and stops their containers, as in
 *     Kubernetes, but they no longer count: their ReplicaSet starts replacements on the nodes
 *     that are ready. A StatefulSet's pod is replaced only once it is really gone (one pod per
 *     identity): when its agent returns, or when the node is deleted ({@code mo delete node NAME},
 *     for a host that is gone for good: the {@link GarbageCollector} then removes its pods).</li>
 * </ol>
 * The next heartbeat sets Ready back; the agent then reports its pods' real state again.
 */
public final class NodeLifecycleController implements Controller {
    /** The two waits; {@code mo server} takes both as options, so tests can shorten them. */
    public record Timing(Duration nodeMonitorGracePeriod, Duration podEvictionTimeout) {
        public static Timing defaults() {
            return new Timing(Duration.ofSeconds(40), Duration.ofMinutes(5));
        }
    }

    private final ObjectService objects;
    private final Timing timing;
    /**
     * When this controller last saw each node's heartbeat change, by its own clock (as
     * Kubernetes' node controller keeps its probeTimestamp): after a server restart, the stored
     * heartbeat times are old, and the agents get a full grace period to be heard again before
     * anything is marked or evicted.
     */
    private final Map<String, Heard> heard = new HashMap<>();

    private record Heard(String heartbeat, Instant at) {}

    public NodeLifecycleController(ObjectService objects, Timing timing) {
        this.objects = objects;
        this.timing = timing;
    }

    @Override
    public String name() { return "node-lifecycle"; }

    @Override
    public void reconcile() {
        Instant now = objects.clock().instant();
        Set<String> names = new HashSet<>();
        for (ObjectNode node : objects.store().list(Kind.NODE, null)) {
            String name = Meta.name(node);
            names.add(name);
            JsonNode ready = readyCondition(node);
            if (ready == null) continue;
            String heartbeat = ready.path("lastHeartbeatTime").asText("");
            Heard last = heard.get(name);
            if (last == null || !last.heartbeat().equals(heartbeat)) heard.put(name, last = new Heard(heartbeat, now));
            if (!last.at().isBefore(now.minus(timing.nodeMonitorGracePeriod()))) continue; // heard recently enough
            if (!"Unknown".equals(ready.path("status").asText())) {
                markUnknown(node);
                continue;
            }
            List<ObjectNode> pods = podsOn(name);
            pods.forEach(this::markNotReady);
            Instant since = Times.parse(ready.path("lastTransitionTime").asText(null));
            if (since != null && !since.isAfter(now.minus(timing.podEvictionTimeout()))) pods.forEach(this::evict);
        }
        heard.keySet().retainAll(names);
    }

    private static JsonNode readyCondition(ObjectNode node) {
        for (JsonNode c : Json.at(node, "status.conditions")) if ("Ready".equals(c.path("type").asText())) return c;
        return null;
    }

    private List<ObjectNode> podsOn(String node) {
        return objects.store().list(Kind.POD, null).stream()
                .filter(p -> node.equals(Pods.nodeName(p)) && !Meta.deleting(p))
                .toList();
    }

    private void markUnknown(ObjectNode node) {
        objects.update(ObjectKey.of(node), n -> {
            ObjectNode cond = (ObjectNode) readyCondition(n);
            cond.put("status", "Unknown");
            cond.put("reason", "NodeStatusUnknown");
            cond.put("message", "Kubelet stopped posting node status.");
            cond.put("lastTransitionTime", Times.now(objects.clock()));
            return n;
        }, true).ifPresent(n -> objects.events().normal(n, "NodeNotReady",
                "Node " + Meta.name(n) + " status is now: NodeNotReady", "node-controller"));
    }

    /** Kubernetes' MarkPodsNotReady: the pod's Ready condition (and its containers') to False. */
    private void markNotReady(ObjectNode pod) {
        if (!Pods.isReady(pod)) return;
        objects.update(ObjectKey.of(pod), p -> {
            for (JsonNode c : Json.at(p, "status.conditions")) {
                if ("Ready".equals(c.path("type").asText()) || "ContainersReady".equals(c.path("type").asText())) {
                    ((ObjectNode) c).put("status", "False");
                    ((ObjectNode) c).put("lastTransitionTime", Times.now(objects.clock()));
                }
            }
            for (JsonNode s : Json.at(p, "status.containerStatuses")) ((ObjectNode) s).put("ready", false);
            return p;
        }, false).ifPresent(p -> objects.events().record(p, "Warning", "NodeNotReady", "Node is not ready", "node-controller"));
    }

    private void evict(ObjectNode pod) {
        objects.events().normal(pod, "TaintManagerEviction",
                "Marking for deletion Pod " + Meta.namespace(pod) + "/" + Meta.name(pod), "taint-controller");
        objects.delete(Kind.POD, Meta.namespace(pod), Meta.name(pod));
    }

}

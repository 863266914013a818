package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.model.Taints;
import dev.mo.model.Taints.Taint;
import dev.mo.model.Taints.Toleration;
import dev.mo.model.Times;
import dev.mo.store.ObjectKey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What happens when a node's agent goes quiet, with Kubernetes' default timings:
 * <ol>
 * <li>No heartbeat for {@code nodeMonitorGracePeriod} (40 s): the node's Ready condition becomes
 *     Unknown and its pods get Ready=False, so the Endpoints drop them and no proxy sends them
 *     traffic.</li>
 * <li>A node whose Ready condition is not True is tainted for it, as Kubernetes' node lifecycle
 *     controller does: {@code node.kubernetes.io/unreachable} (Unknown) or
 *     {@code node.kubernetes.io/not-ready} (False), once NoSchedule (the scheduler places
 *     nothing there) and once NoExecute (its pods are evicted). A cordoned node
 *     ({@code spec.unschedulable}) gets {@code node.kubernetes.io/unschedulable:NoSchedule}. The
 *     taints go when the state that called for them does.</li>
 * <li>Evictions, as Kubernetes' taint manager makes them: a pod on a node with a NoExecute taint is
 *     deleted once it has tolerated it for as long as its tolerations allow
 *     ({@code tolerationSeconds}; for ever without). A pod with no toleration for the
 *     unreachable or not-ready taint is given {@code podEvictionTimeout} (5 min), what Kubernetes'
 *     default tolerations give every pod. An evicted pod stays Terminating until that agent
 *     comes back and stops its containers, as in Kubernetes, but it no longer counts: its
 *     ReplicaSet starts a replacement on a node that is ready. A StatefulSet's pod is replaced
 *     only once it is really gone (one pod per identity): when its agent returns, or when the
 *     node is deleted ({@code mo delete node NAME}, for a host that is gone for good: the
 *     {@link GarbageCollector} then removes its pods).</li>
 * </ol>
 * The next heartbeat sets Ready back; the taints go, and the agent reports its pods' real state again.
 */
public final class NodeLifecycleController implements Controller {
    /** The two waits; {@code mo server} takes both as options, so tests can shorten them. */
    public record Timing(Duration nodeMonitorGracePeriod, Duration podEvictionTimeout) {
        public static Timing defaults() {
            return new Timing(Duration.ofSeconds(40), Duration.ofMinutes(5));
        }
    }

    /** The taints this controller owns: it adds and removes them, and leaves every other taint alone. */
    private static final Set<String> CONDITION_TAINTS = Set.of(Taints.NOT_READY, Taints.UNREACHABLE, Taints.UNSCHEDULABLE);

    private final ObjectService objects;
    private final Timing timing;
    /**
     * When this controller started: a pod's toleration is counted from then at the earliest,
     * as Kubernetes' taint manager starts its timers afresh, so a server restart gives every pod
     * its full toleration again.
     */
    private final Instant started;
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
        this.started = objects.clock().instant();
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
            boolean quiet = last.at().isBefore(now.minus(timing.nodeMonitorGracePeriod()));
            if (quiet && !"Unknown".equals(ready.path("status").asText())) {
                markUnknown(node); // the next pass taints it
                continue;
            }
            ObjectNode current = syncTaints(node);
            List<Taint> noExecute = Taints.of(current).stream().filter(t -> Taints.NO_EXECUTE.equals(t.effect())).toList();
            if (!quiet && noExecute.isEmpty()) continue;
            List<ObjectNode> pods = podsOn(name);
            if (quiet) pods.forEach(this::markNotReady);
            for (ObjectNode pod : pods) {
                Instant evictAt = evictionTime(Taints.tolerations(pod), noExecute, timing.podEvictionTimeout(), started);
                if (evictAt != null && !evictAt.isAfter(now)) evict(pod);
            }
        }
        heard.keySet().retainAll(names);
    }

    /**
     * The taints a node's state calls for (Kubernetes' taint-nodes-by-condition and its
     * NoExecute taints): Ready False → not-ready, Unknown → unreachable, each NoSchedule and
     * NoExecute; cordoned → unschedulable, NoSchedule.
     */
    static List<Taint> conditionTaints(JsonNode node) {
        List<Taint> out = new ArrayList<>();
        JsonNode ready = readyCondition(node);
        String status = ready == null ? "True" : ready.path("status").asText();
        String key = switch (status) {
            case "False" -> Taints.NOT_READY;
            case "Unknown" -> Taints.UNREACHABLE;
            default -> null;
        };
        if (key != null) {
            out.add(new Taint(key, Taints.NO_SCHEDULE));
            out.add(new Taint(key, Taints.NO_EXECUTE));
        }
        if (Json.at(node, "spec.unschedulable").asBoolean(false)) out.add(new Taint(Taints.UNSCHEDULABLE, Taints.NO_SCHEDULE));
        return out;
    }

    /**
     * When a pod with these tolerations is to be evicted from a node with these NoExecute taints,
     * as Kubernetes' taint manager decides; null: never. For each taint: the shortest
     * {@code tolerationSeconds} among the tolerations that tolerate it (one without any: for
     * ever), counted from when the taint was added (not before {@code notBefore}); no toleration
     * at all: {@code defaultToleration} for the not-ready and unreachable taints (the
     * DefaultTolerationSeconds admission plugin gives every pod those), at once for any other.
     * The earliest time over all taints wins.
     */
    static Instant evictionTime(List<Toleration> tolerations, List<Taint> noExecute, Duration defaultToleration,
                                Instant notBefore) {
        Instant earliest = null;
        for (Taint taint : noExecute) {
            List<Toleration> matching = tolerations.stream().filter(t -> t.tolerates(taint)).toList();
            Duration allowed;
            if (matching.isEmpty()) {
                boolean condition = Taints.NOT_READY.equals(taint.key()) || Taints.UNREACHABLE.equals(taint.key());
                allowed = condition ? defaultToleration : Duration.ZERO;
            } else if (matching.stream().anyMatch(t -> t.tolerationSeconds() == null)) {
                continue; // tolerated for ever
            } else {
                long seconds = matching.stream().mapToLong(Toleration::tolerationSeconds).min().orElseThrow();
                allowed = Duration.ofSeconds(Math.max(0, seconds)); // a negative one evicts at once, as in Kubernetes
            }
            Instant added = Times.parse(taint.timeAdded());
            Instant from = added == null || added.isBefore(notBefore) ? notBefore : added;
            Instant at = from.plus(allowed);
            if (earliest == null || at.isBefore(earliest)) earliest = at;
        }
        return earliest;
    }

    /** Puts the node's condition taints in line with its state; returns the node as it is now. */
    private ObjectNode syncTaints(ObjectNode node) {
        ArrayNode wanted = taintsWanted(node);
        if (wanted.equals(Json.at(node, "spec.taints")) || (wanted.isEmpty() && Json.at(node, "spec.taints").isMissingNode())) {
            return node;
        }
        return objects.update(ObjectKey.of(node), n -> {
            ArrayNode taints = taintsWanted(n);
            if (taints.isEmpty() && n.get("spec") instanceof ObjectNode spec) spec.remove("taints");
            else if (!taints.isEmpty()) Json.objectAt(n, "spec").set("taints", taints);
            return n;
        }, true).orElse(node);
    }

    /** The node's other taints as they are, then the condition taints it should have (keeping when each was added). */
    private ArrayNode taintsWanted(ObjectNode node) {
        ArrayNode out = Json.array();
        JsonNode current = Json.at(node, "spec.taints");
        for (JsonNode t : current) if (!CONDITION_TAINTS.contains(t.path("key").asText())) out.add(t);
        for (Taint t : conditionTaints(node)) {
            JsonNode same = null;
            for (JsonNode c : current) {
                if (t.key().equals(c.path("key").asText()) && t.effect().equals(c.path("effect").asText())) same = c;
            }
            out.add(same != null ? same : Json.object().put("key", t.key()).put("effect", t.effect())
                    .put("timeAdded", Times.now(objects.clock())));
        }
        return out;
    }

    private static JsonNode readyCondition(JsonNode node) {
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

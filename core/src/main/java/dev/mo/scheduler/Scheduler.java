package dev.mo.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controller.Conditions;
import dev.mo.controller.Controller;
import dev.mo.controller.PersistentVolumeClaimController;
import dev.mo.controlplane.EventRecorder;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.model.Taints;
import dev.mo.model.Taints.Taint;
import dev.mo.model.Taints.Toleration;
import dev.mo.store.Change;
import dev.mo.store.ConflictException;
import dev.mo.store.ObjectKey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Binds pending pods to nodes: filter, score, pick. */
public final class Scheduler implements Controller {
    /**
     * An unschedulable pod is tried again on every cycle, but its FailedScheduling event is
     * recorded only when the reason changes, or again after this long (the kube-scheduler
     * retries such a pod at least every 5 minutes and says so each time): no flood of events.
     */
    static final Duration FAILED_SCHEDULING_REPEAT = Duration.ofMinutes(5);

    private final ObjectService objects;
    /** Pod uid → when its last FailedScheduling event was recorded. */
    private final Map<String, Instant> failedSchedulingRecorded = new HashMap<>();

    public Scheduler(ObjectService objects) { this.objects = objects; }

    @Override
    public String name() { return "scheduler"; }

    /** The outcome for one pod: a node, or why none fits. */
    public record Decision(Optional<String> node, String reason) {}

    /** The taint a cordoned node stands for: a pod that tolerates it may still go there, as in Kubernetes. */
    static final Taint CORDON = new Taint(Taints.UNSCHEDULABLE, Taints.NO_SCHEDULE);

    /**
     * Picks a node for {@code pod}. Filter, in the kube-scheduler's order: the node is not
     * cordoned, the pod tolerates its NoSchedule and NoExecute taints (a node not Ready carries
     * one), matches its nodeSelector and required node affinity, has room (fewer pods than its
     * allocatable {@code pods}, and the cpu and memory requests of its pods plus this pod's within
     * its allocatable), keeps the pod's DoNotSchedule topology spread constraints, and keeps its
     * required pod (anti-)affinity and that of the pods already there. Score: fewest pods of the
     * same owner (spreads replicas, so one node going down costs one replica), then the soft
     * preferences ({@link #preferences}), then fewest pods in all, then name (so the result is
     * the same every time). A pod with topology spread constraints of its own is spread by them
     * instead, as Kubernetes then drops its default spreading: the soft preferences (which hold
     * its ScheduleAnyway constraints) come first, and fewest pods of the same owner only breaks
     * their ties.
     */
    public static Decision choose(ObjectNode pod, List<NodeInfo> nodes) { return choose(pod, nodes, null); }

    /**
     * As {@link #choose(ObjectNode, List)}, and when {@code volumeNode} is not null (the pod uses a
     * claim whose Docker volume lives there), only that node fits: the data does not travel.
     */
    public static Decision choose(ObjectNode pod, List<NodeInfo> nodes, String volumeNode) {
        if (nodes.isEmpty()) return new Decision(Optional.empty(), "0/0 nodes are available: no nodes registered.");
        String owner = ObjectService.controllerUid(pod);
        PodAffinityRule podAffinity = PodAffinityRule.of(pod, nodes);
        TopologySpreadRule spread = TopologySpreadRule.of(pod, nodes);
        List<NodeInfo> fit = new ArrayList<>();
        Map<String, Integer> why = new TreeMap<>();
        for (NodeInfo n : nodes) {
            List<String> misfits = misfits(pod, n, volumeNode, spread, podAffinity);
            if (misfits.isEmpty()) fit.add(n);
            misfits.forEach(reason -> why.merge(reason, 1, Integer::sum));
        }
        if (fit.isEmpty()) return new Decision(Optional.empty(), unavailable(nodes.size(), why));
        Map<String, Long> preference = preferences(pod, fit, spread, podAffinity);
        Comparator<NodeInfo> ownerSpread = Comparator.comparingInt(n -> owner == null ? 0 : n.podsPerOwner().getOrDefault(owner, 0));
        Comparator<NodeInfo> preferred = Comparator.comparingLong(n -> -preference.get(n.name()));
        Comparator<NodeInfo> order = spread.statedByPod()
                ? preferred.thenComparing(ownerSpread) : ownerSpread.thenComparing(preferred);
        NodeInfo best = fit.stream().min(order
                .thenComparingInt(NodeInfo::pods)
                .thenComparing(NodeInfo::name)).orElseThrow();
        return new Decision(Optional.of(best.name()), "");
    }

    /**
     * Why a node cannot take the pod, in the kube-scheduler's words; empty when it can. Like
     * its filters, the first that fails decides, except that resources are reported together
     * (a node short of both cpu and memory counts once for each).
     */
    static List<String> misfits(ObjectNode pod, NodeInfo n, String volumeNode, TopologySpreadRule spread,
                                PodAffinityRule podAffinity) {
        List<Toleration> tolerations = Taints.tolerations(pod);
        if (n.unschedulable() && !Taints.tolerated(CORDON, tolerations)) return List.of("node(s) were unschedulable");
        Optional<Taint> taint = TaintToleration.untolerated(tolerations, n.taints());
        if (taint.isPresent()) return List.of(TaintToleration.misfit(taint.get()));
        // Not Ready and not tainted for it yet (the node lifecycle controller does so on its next pass).
        if (!n.ready() && !TaintToleration.hasConditionTaint(n.taints())) return List.of("node(s) were not ready");
        if (!NodeAffinityRule.fits(pod, n)) return List.of(NodeAffinityRule.MISFIT);
        List<String> resources = resourceMisfits(n, Resources.podRequests(pod));
        if (!resources.isEmpty()) return resources;
        if (volumeNode != null && !volumeNode.equals(n.name())) return List.of("node(s) had volume node affinity conflict");
        String skew = spread.misfit(n);
        if (skew != null) return List.of(skew);
        String affinity = podAffinity.misfit(n);
        return affinity == null ? List.of() : List.of(affinity);
    }

    /** Kubernetes' NodeResourcesFit: room for one more pod, and for its cpu and memory requests. */
    static List<String> resourceMisfits(NodeInfo n, Resources requests) {
        List<String> out = new ArrayList<>();
        if (n.boundPods() + 1 > n.maxPods()) out.add("Too many pods");
        Resources after = n.requested().plus(requests);
        if (requests.cpuMillis() > 0 && after.cpuMillis() > n.allocatable().cpuMillis()) out.add("Insufficient cpu");
        if (requests.memoryBytes() > 0 && after.memoryBytes() > n.allocatable().memoryBytes()) out.add("Insufficient memory");
        return out;
    }

    /**
     * The soft preferences of the nodes that fit, as the kube-scheduler weighs its score plugins
     * in its default profile: each normalised to 0-100 over these nodes, then TaintToleration
     * (fewest untolerated PreferNoSchedule taints) times 3, NodeAffinity (the weights of the
     * preferred terms matched) times 2, PodTopologySpread (the ScheduleAnyway constraints: fewest
     * pods in the node's domain) times 2 and InterPodAffinity (preferred pod affinity minus
     * anti-affinity) times 2, summed. Higher is better.
     */
    static Map<String, Long> preferences(ObjectNode pod, List<NodeInfo> fit, TopologySpreadRule spread,
                                         PodAffinityRule podAffinity) {
        List<Toleration> tolerations = Taints.tolerations(pod);
        Map<String, Long> taints = Scores.normalized(fit, n -> TaintToleration.score(tolerations, n.taints()), true);
        Map<String, Long> nodeAffinity = Scores.normalized(fit, n -> NodeAffinityRule.score(pod, n), false);
        Map<String, Long> spreadScores = spread.scores(fit);
        Map<String, Long> interPod = Scores.minMax(fit, podAffinity::score);
        Map<String, Long> out = new HashMap<>();
        for (NodeInfo n : fit) {
            out.put(n.name(), 3 * taints.get(n.name()) + 2 * nodeAffinity.get(n.name()) + 2 * spreadScores.get(n.name())
                    + 2 * interPod.get(n.name()));
        }
        return out;
    }

    /**
     * The kube-scheduler's message: each reason with the number of nodes it applies to,
     * sorted as text and joined, e.g. {@code 0/3 nodes are available: 1 Insufficient cpu,
     * 2 node(s) were not ready.}
     */
    static String unavailable(int nodes, Map<String, Integer> why) {
        List<String> counted = new ArrayList<>();
        why.forEach((reason, count) -> counted.add(count + " " + reason));
        counted.sort(null);
        return "0/" + nodes + " nodes are available: " + String.join(", ", counted) + ".";
    }

    /**
     * One scheduling cycle: every pending pod is placed (or marked unschedulable), and all
     * the bindings are written in one transaction, so a burst of 1,000 new pods costs one
     * write instead of 1,000. A conflict (a pod changed meanwhile) is retried next cycle.
     */
    @Override
    public void reconcile() {
        List<ObjectNode> pods = objects.store().list(Kind.POD, null);
        // A pod with spec.nodeName is bound already (by its author, or by an earlier cycle): as the
        // kube-scheduler does, it is left alone, even on a node that would not pass the filters.
        List<ObjectNode> pending = pods.stream().filter(p -> Pods.nodeName(p) == null && !Meta.deleting(p)).toList();
        failedSchedulingRecorded.keySet().retainAll(pending.stream().map(Meta::uid).collect(Collectors.toSet()));
        if (pending.isEmpty()) return;
        Map<String, NodeInfo> nodes = nodeInfos(pods);
        Map<String, String> claimNodes = new HashMap<>();
        for (ObjectNode claim : objects.store().list(Kind.PERSISTENT_VOLUME_CLAIM, null)) {
            String node = Meta.annotations(claim).get(PersistentVolumeClaimController.NODE_ANNOTATION);
            if (node != null) claimNodes.put(Meta.namespace(claim) + "/" + Meta.name(claim), node);
        }
        List<Change> bindings = new ArrayList<>();
        List<ObjectNode> bound = new ArrayList<>();
        for (ObjectNode pod : pending) {
            String volumeNode = null;
            for (String claim : PersistentVolumeClaimController.claimNames(pod)) {
                String n = claimNodes.get(Meta.namespace(pod) + "/" + claim);
                if (n != null) volumeNode = n;
            }
            Decision d = choose(pod, new ArrayList<>(nodes.values()), volumeNode);
            if (d.node().isPresent()) {
                String node = d.node().get();
                ((ObjectNode) pod.get("spec")).put("nodeName", node);
                podScheduledCondition(pod, "True", null, null);
                bindings.add(Change.put(pod));
                bound.add(pod);
                nodes.computeIfPresent(node, (k, n) -> placed(n, pod));
            } else {
                markUnschedulable(pod, d.reason());
            }
        }
        if (bindings.isEmpty()) return;
        try {
            objects.store().commit(bindings, true);
        } catch (ConflictException e) {
            return; // Someone changed a pod meanwhile: the next cycle sees the new state.
        }
        objects.events().recordAll(bound.stream().map(p -> new EventRecorder.Occurrence(p, "Normal", "Scheduled",
                "Successfully assigned " + Meta.namespace(p) + "/" + Meta.name(p) + " to " + Pods.nodeName(p),
                "default-scheduler")).toList());
    }

    private Map<String, NodeInfo> nodeInfos(List<ObjectNode> pods) {
        Map<String, Integer> count = new HashMap<>();
        Map<String, Resources> requested = new HashMap<>();
        Map<String, Map<String, Integer>> perOwner = new HashMap<>();
        Map<String, List<ObjectNode>> assigned = new HashMap<>();
        for (ObjectNode p : pods) {
            String node = Pods.nodeName(p);
            // A pod being deleted still holds its resources until its containers are gone.
            if (node == null || Pods.finished(p)) continue;
            assigned.computeIfAbsent(node, k -> new ArrayList<>()).add(p);
            requested.merge(node, Resources.podRequests(p), Resources::plus);
            if (!Pods.isActive(p)) continue;
            count.merge(node, 1, Integer::sum);
            String owner = ObjectService.controllerUid(p);
            if (owner != null) perOwner.computeIfAbsent(node, k -> new HashMap<>()).merge(owner, 1, Integer::sum);
        }
        Map<String, NodeInfo> out = new TreeMap<>();
        for (ObjectNode n : objects.store().list(Kind.NODE, null)) {
            String name = Meta.name(n);
            List<ObjectNode> here = assigned.getOrDefault(name, List.of());
            out.put(name, new NodeInfo(name, nodeReady(n), Json.at(n, "spec.unschedulable").asBoolean(false),
                    count.getOrDefault(name, 0), perOwner.getOrDefault(name, Map.of()), Resources.allocatable(n),
                    Resources.allocatablePods(n), requested.getOrDefault(name, Resources.NONE), here.size(),
                    Meta.labels(n), Taints.of(n), here));
        }
        return out;
    }

    static boolean nodeReady(ObjectNode node) {
        for (JsonNode c : Json.at(node, "status.conditions")) {
            if ("Ready".equals(c.path("type").asText())) return "True".equals(c.path("status").asText());
        }
        return false;
    }

    /** The node as the next pod of this cycle sees it, once {@code pod} is bound to it. */
    private static NodeInfo placed(NodeInfo n, ObjectNode pod) {
        String owner = ObjectService.controllerUid(pod);
        Map<String, Integer> perOwner = new HashMap<>(n.podsPerOwner());
        if (owner != null) perOwner.merge(owner, 1, Integer::sum);
        List<ObjectNode> assigned = new ArrayList<>(n.assignedPods());
        assigned.add(pod);
        return new NodeInfo(n.name(), n.ready(), n.unschedulable(), n.pods() + 1, perOwner, n.allocatable(), n.maxPods(),
                n.requested().plus(Resources.podRequests(pod)), n.boundPods() + 1, n.labels(), n.taints(), assigned);
    }

    private void markUnschedulable(ObjectNode pod, String reason) {
        Optional<ObjectNode> changed = objects.update(ObjectKey.of(pod), p -> {
            podScheduledCondition(p, "False", "Unschedulable", reason);
            return p;
        }, false);
        Instant now = objects.clock().instant();
        Instant recorded = failedSchedulingRecorded.get(Meta.uid(pod));
        if (changed.isPresent() || recorded == null || !now.isBefore(recorded.plus(FAILED_SCHEDULING_REPEAT))) {
            objects.events().warning(changed.orElse(pod), "FailedScheduling", reason, "default-scheduler");
            failedSchedulingRecorded.put(Meta.uid(pod), now);
        }
    }

    /** Pod conditions carry no lastUpdateTime, unlike Deployment ones. */
    private void podScheduledCondition(ObjectNode pod, String status, String reason, String message) {
        ObjectNode st = Json.objectAt(pod, "status");
        if (!st.has("phase")) st.put("phase", "Pending");
        Conditions.set(st, "PodScheduled", status, reason == null ? "" : reason, message == null ? "" : message,
                objects.clock());
        for (JsonNode c : st.get("conditions")) {
            if ("PodScheduled".equals(c.path("type").asText())) {
                ObjectNode cond = (ObjectNode) c;
                cond.remove("lastUpdateTime");
                if (reason == null) {
                    cond.remove("reason");
                    cond.remove("message");
                }
                cond.putNull("lastProbeTime");
            }
        }
    }
}

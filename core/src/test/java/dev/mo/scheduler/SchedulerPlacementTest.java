package dev.mo.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Taints;
import dev.mo.model.Taints.Taint;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Placing pods over three nodes, a (disk=ssd, zone=1), b (disk=hdd, zone=2) and c (disk=ssd,
 * zone=3), with {@link Scheduler#choose}: what each rule does when the others agree.
 */
class SchedulerPlacementTest {
    static List<NodeInfo> three() {
        return new ArrayList<>(List.of(
                new NodeInfo("a", true, false, 0, Map.of()).withLabels(Map.of("disk", "ssd", "zone", "1")),
                new NodeInfo("b", true, false, 0, Map.of()).withLabels(Map.of("disk", "hdd", "zone", "2")),
                new NodeInfo("c", true, false, 0, Map.of()).withLabels(Map.of("disk", "ssd", "zone", "3"))));
    }

    /** A pod of ReplicaSet rs1 labelled app=web, with {@code spec} (single quotes for double). */
    static ObjectNode pod(String spec) {
        return Json.parse(("{'metadata':{'name':'web-1','namespace':'default','labels':{'app':'web'},"
                + "'ownerReferences':[{'uid':'rs1','controller':true}]},'spec':" + spec + "}").replace('\'', '"'));
    }

    static NodeInfo tainted(NodeInfo n, Taint... taints) { return n.withTaints(List.of(taints)); }

    static List<NodeInfo> replacing(List<NodeInfo> nodes, NodeInfo changed) {
        List<NodeInfo> out = new ArrayList<>();
        for (NodeInfo n : nodes) out.add(n.name().equals(changed.name()) ? changed : n);
        return out;
    }

    static String place(ObjectNode pod, List<NodeInfo> nodes) {
        Scheduler.Decision d = Scheduler.choose(pod, nodes);
        return d.node().orElse(d.reason());
    }

    @Test
    void nodeSelectorPicksAmongTheNodesWithTheLabels() {
        assertEquals("b", place(pod("{'nodeSelector':{'disk':'hdd'}}"), three()));
        assertEquals("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
                place(pod("{'nodeSelector':{'disk':'nvme'}}"), three()));
    }

    @Test
    void requiredNodeAffinityThatNoNodeMatchesLeavesThePodPending() {
        String notIn = "{'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':"
                + "[{'matchExpressions':[{'key':'zone','operator':'NotIn','values':['1','3']}]}]}}}}";
        assertEquals("b", place(pod(notIn), three()));
        String gt = "{'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':"
                + "[{'matchExpressions':[{'key':'zone','operator':'Gt','values':['3']}]}]}}}}";
        assertEquals("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", place(pod(gt), three()));
    }

    @Test
    void preferredNodeAffinityWinsTies() {
        // without a preference the first name wins; the heavier preferred term decides
        assertEquals("a", place(pod("{}"), three()));
        String preferred = "{'affinity':{'nodeAffinity':{'preferredDuringSchedulingIgnoredDuringExecution':["
                + "{'weight':20,'preference':{'matchExpressions':[{'key':'disk','operator':'In','values':['ssd']}]}},"
                + "{'weight':80,'preference':{'matchExpressions':[{'key':'zone','operator':'In','values':['3']}]}}]}}}";
        assertEquals("c", place(pod(preferred), three()));
        // spreading the owner's replicas comes first: c already has one of rs1's pods
        List<NodeInfo> nodes = replacing(three(), new NodeInfo("c", true, false, 1, Map.of("rs1", 1))
                .withLabels(Map.of("disk", "ssd", "zone", "3")));
        assertEquals("a", place(pod(preferred), nodes));
    }

    @Test
    void requiredAntiAffinitySpreadsThreeReplicasAndLeavesAFourthPending() {
        String anti = "{'affinity':{'podAntiAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':["
                + "{'labelSelector':{'matchLabels':{'app':'web'}},'topologyKey':'kubernetes.io/hostname'}]}}}";
        List<NodeInfo> nodes = three();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode replica = pod(anti);
            // no owner: spreading does not separate them, only the anti-affinity does
            ((ObjectNode) replica.get("metadata")).remove("ownerReferences");
            String node = place(replica, nodes);
            placed.add(node);
            NodeInfo there = nodes.stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow();
            nodes = replacing(nodes, there.withPods(List.of(replica)));
        }
        assertEquals(List.of("a", "b", "c"), placed);
        assertEquals("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.", place(pod(anti), nodes));
    }

    @Test
    void aTaintedNodeIsAvoidedUnlessTolerated() {
        List<NodeInfo> nodes = three();
        nodes.set(0, tainted(nodes.get(0), new Taint("dedicated", "gpu", Taints.NO_SCHEDULE, null)));
        nodes.set(1, tainted(nodes.get(1), new Taint("maintenance", "", Taints.NO_EXECUTE, null)));
        assertEquals("c", place(pod("{}"), nodes));
        nodes.set(2, tainted(nodes.get(2), new Taint("dedicated", "gpu", Taints.NO_SCHEDULE, null)));
        assertEquals("0/3 nodes are available: 1 node(s) had untolerated taint {maintenance: }, "
                + "2 node(s) had untolerated taint {dedicated: gpu}.", place(pod("{}"), nodes));
        assertEquals("a", place(pod("{'tolerations':[{'key':'dedicated','operator':'Equal','value':'gpu','effect':'NoSchedule'}]}"),
                nodes));
        // PreferNoSchedule only counts against a node
        List<NodeInfo> soft = three();
        soft.set(0, tainted(soft.get(0), new Taint("spot", "yes", Taints.PREFER_NO_SCHEDULE, null)));
        assertEquals("b", place(pod("{}"), soft));
    }

    @Test
    void aCordonedNodeIsAvoidedUnlessThePodToleratesItsTaint() {
        List<NodeInfo> nodes = new ArrayList<>();
        for (NodeInfo n : three()) {
            nodes.add(new NodeInfo(n.name(), true, !n.name().equals("c"), 0, Map.of()).withLabels(n.labels()));
        }
        assertEquals("c", place(pod("{}"), nodes));
        // the cordon is judged first: a and b say so, c does not match
        assertEquals("0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) were unschedulable.",
                place(pod("{'nodeSelector':{'disk':'hdd'}}"), nodes));
        assertEquals("a", place(pod("{'tolerations':[{'key':'node.kubernetes.io/unschedulable','operator':'Exists',"
                + "'effect':'NoSchedule'}]}"), nodes));
    }

    @Test
    void aNotReadyNodeIsKeptOffByItsTaintAndAToleratingPodMayStillGoThere() {
        List<NodeInfo> nodes = three();
        nodes.set(0, new NodeInfo("a", false, false, 0, Map.of()).withTaints(List.of(
                new Taint(Taints.UNREACHABLE, Taints.NO_SCHEDULE), new Taint(Taints.UNREACHABLE, Taints.NO_EXECUTE))));
        nodes.set(1, new NodeInfo("b", false, false, 0, Map.of())); // not tainted yet
        assertEquals("c", place(pod("{}"), nodes));
        nodes.remove(2);
        assertEquals("0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, "
                + "1 node(s) were not ready.", place(pod("{}"), nodes));
        assertEquals("a", place(pod("{'tolerations':[{'key':'node.kubernetes.io/unreachable','operator':'Exists'}]}"), nodes));
    }
}

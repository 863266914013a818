package dev.mo.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Taints;
import dev.mo.model.Taints.Taint;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Deployment's pods (ReplicaSet rs1, app=web) placed one after the other with
 * {@link Scheduler#choose}, each seeing the ones before, over nodes a and b in zone A and c in
 * zone B.
 */
class SchedulerSpreadTest {
    static final String ZONE = "topology.kubernetes.io/zone";

    static NodeInfo node(String name, String zone) {
        return new NodeInfo(name, true, false, 0, Map.of()).withLabels(zone == null ? Map.of() : Map.of(ZONE, zone));
    }

    static List<NodeInfo> twoZones() { return new ArrayList<>(List.of(node("a", "A"), node("b", "A"), node("c", "B"))); }

    /** A replica with these constraints (single quotes for double) and more of its spec. */
    static ObjectNode replica(int i, String constraints, String moreSpec) {
        return Json.parse(("{'metadata':{'name':'web-" + i + "','namespace':'default','labels':{'app':'web'},"
                + "'ownerReferences':[{'uid':'rs1','controller':true}]},'spec':{"
                + (constraints == null ? "" : "'topologySpreadConstraints':" + constraints + ",")
                + (moreSpec == null ? "" : moreSpec + ",") + "'containers':[{'name':'web','image':'web'}]}}").replace('\'', '"'));
    }

    static String zoneSpread(String whenUnsatisfiable) {
        return "[{'maxSkew':1,'topologyKey':'" + ZONE + "','whenUnsatisfiable':'" + whenUnsatisfiable + "',"
                + "'labelSelector':{'matchLabels':{'app':'web'}}}]";
    }

    /** The node as the scheduler sees it once {@code pod} is bound there (what a cycle does between pods). */
    static NodeInfo bound(NodeInfo n, ObjectNode pod) {
        Map<String, Integer> perOwner = new HashMap<>(n.podsPerOwner());
        perOwner.merge("rs1", 1, Integer::sum);
        List<ObjectNode> pods = new ArrayList<>(n.assignedPods());
        pods.add(pod);
        return new NodeInfo(n.name(), n.ready(), n.unschedulable(), n.pods() + 1, perOwner, n.allocatable(), n.maxPods(),
                n.requested(), n.boundPods() + 1, n.labels(), n.taints(), pods);
    }

    /** Places {@code count} replicas in turn; returns where each went (or the reason it did not). */
    static List<String> placeReplicas(int count, String constraints, String moreSpec, List<NodeInfo> nodes) {
        List<String> placed = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ObjectNode pod = replica(i, constraints, moreSpec);
            Scheduler.Decision d = Scheduler.choose(pod, nodes);
            if (d.node().isEmpty()) {
                placed.add(d.reason());
                continue;
            }
            placed.add(d.node().get());
            for (int j = 0; j < nodes.size(); j++) {
                if (nodes.get(j).name().equals(d.node().get())) nodes.set(j, bound(nodes.get(j), pod));
            }
        }
        return placed;
    }

    @Test
    void withoutConstraintsReplicasSpreadOverHostsNotZones() {
        // fewest pods of rs1 first: a b c a b c, zone A gets 4 and zone B 2
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), placeReplicas(6, null, null, twoZones()));
    }

    @Test
    void doNotScheduleKeepsTheZonesLevel() {
        // 1: a (A:0 B:0, first name)       2: A:1 B:0 -> a, b 1+1-0 = 2 > 1; only c
        // 3: A:1 B:1 -> all fit; b has no replica yet      4: A:2 B:1 -> a, b 2+1-1 = 2; only c
        // 5: A:2 B:2 -> all fit; a and b have 1, c 2: a    6: A:3 B:2 -> only c
        assertEquals(List.of("a", "c", "b", "c", "a", "c"), placeReplicas(6, zoneSpread("DoNotSchedule"), null, twoZones()));
    }

    @Test
    void doNotScheduleLeavesAPodPendingWhenOnlyItsZoneIsOverTheSkew() {
        List<NodeInfo> nodes = twoZones();
        nodes.set(2, node("c", "B").withTaints(List.of(new Taint("dedicated", "db", Taints.NO_SCHEDULE, null))));
        // zone B still counts (nodeTaintsPolicy Ignore): 0 pods there, so zone A may hold 1
        assertEquals(List.of("a", "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, "
                        + "2 node(s) didn't match pod topology spread constraints."),
                placeReplicas(2, zoneSpread("DoNotSchedule"), null, nodes));
        // with nodeTaintsPolicy Honor zone B is no domain: a and b take the pods
        String honor = zoneSpread("DoNotSchedule").replace("}}}]", "}},'nodeTaintsPolicy':'Honor'}]");
        assertEquals(List.of("a", "b", "a"), placeReplicas(3, honor, null, new ArrayList<>(twoZones().subList(0, 2))));
        List<NodeInfo> tainted = twoZones();
        tainted.set(2, nodes.get(2));
        assertEquals(List.of("a", "b", "a"), placeReplicas(3, honor, null, tainted));
    }

    @Test
    void aNodeWithoutTheZoneLabelIsNoCandidate() {
        List<NodeInfo> nodes = List.of(node("a", "A"), node("d", null));
        Scheduler.Decision d = Scheduler.choose(replica(1, zoneSpread("DoNotSchedule"), "'nodeSelector':{'kubernetes.io/hostname':'d'}"),
                new ArrayList<>(nodes));
        assertEquals("0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, "
                + "1 node(s) didn't match pod topology spread constraints (missing required label).", d.reason());
        // ScheduleAnyway does not need the label
        assertEquals(List.of("d"), placeReplicas(1, zoneSpread("ScheduleAnyway"), "'nodeSelector':{'kubernetes.io/hostname':'d'}",
                new ArrayList<>(nodes)));
    }

    @Test
    void scheduleAnywayPlacesThePodEvenOverTheSkew() {
        List<NodeInfo> nodes = twoZones();
        nodes.set(2, node("c", "B").withTaints(List.of(new Taint("dedicated", "db", Taints.NO_SCHEDULE, null))));
        assertEquals(List.of("a", "b", "a"), placeReplicas(3, zoneSpread("ScheduleAnyway"), null, nodes));
    }

    @Test
    void scheduleAnywayComesBeforeSpreadingOverHosts() {
        // zone A has three nodes, zone B one. Without constraints, spreading over hosts: a b c d (A:3 B:1).
        List<NodeInfo> nodes = new ArrayList<>(List.of(node("a", "A"), node("b", "A"), node("c", "A"), node("d", "B")));
        assertEquals(List.of("a", "b", "c", "d"), placeReplicas(4, null, null, new ArrayList<>(nodes)));
        // The pod's own constraint decides first: 1 a; 2 A:1 B:0, d; 3 A:1 B:1 level, so fewest
        // pods of rs1: b; 4 A:2 B:1, d. Zones end level, 2 and 2.
        assertEquals(List.of("a", "d", "b", "d"), placeReplicas(4, zoneSpread("ScheduleAnyway"), null, new ArrayList<>(nodes)));
    }

    @Test
    void scheduleAnywayIsWeighedAgainstPreferredNodeAffinity() {
        // a and b already hold one replica each (zone A: 2, B: 0). Spread: A ln(4) * 2 = 2.77 -> 3,
        // B 0: a and b score 0, c 100; times 2: 0 and 200. Node affinity for b, weight 100: b 100,
        // others 0; times 2: 200. Sum: a 0, b 200, c 200; a tie, so fewest pods of rs1: c.
        List<NodeInfo> nodes = twoZones();
        nodes.set(0, bound(nodes.get(0), replica(8, null, null)));
        nodes.set(1, bound(nodes.get(1), replica(9, null, null)));
        String preferB = "'affinity':{'nodeAffinity':{'preferredDuringSchedulingIgnoredDuringExecution':[{'weight':100,"
                + "'preference':{'matchFields':[{'key':'metadata.name','operator':'In','values':['b']}]}}]}}";
        assertEquals(List.of("c"), placeReplicas(1, zoneSpread("ScheduleAnyway"), preferB, new ArrayList<>(nodes)));
        // Add the TaintToleration score (times 3) against c with a PreferNoSchedule taint: c loses 300, b wins.
        nodes.set(2, nodes.get(2).withTaints(List.of(new Taint("spot", "yes", Taints.PREFER_NO_SCHEDULE, null))));
        assertEquals(List.of("b"), placeReplicas(1, zoneSpread("ScheduleAnyway"), preferB, new ArrayList<>(nodes)));
    }
}

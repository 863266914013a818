package dev.mo.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.controlplane.TestClock;
import dev.mo.controlplane.TestNodes;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Pods;
import dev.mo.store.ObjectKey;
import dev.mo.store.Store;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduling cycles over the store: nodes as agents post them, pods placed in one cycle see each other. */
class SchedulerCycleTest {
    final ObjectService objects = new ObjectService(Store.inMemory(), new TestClock());
    final Scheduler scheduler = new Scheduler(objects);

    SchedulerCycleTest() {
        for (String n : List.of("n1", "n2", "n3")) {
            ObjectNode posted = TestNodes.ready(n);
            objects.create(posted, true); // as the heartbeat does: the status is set apart from the object
            change(n, node -> node.set("status", posted.get("status")));
        }
    }

    void change(String node, java.util.function.Consumer<ObjectNode> edit) {
        objects.update(ObjectKey.of(objects.require(Kind.NODE, null, node)), n -> {
            edit.accept(n);
            return n;
        }, true);
    }

    static ObjectNode pod(String name, String spec) {
        return Json.parse(("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'%s','namespace':'default','labels':{'app':'web'}},"
                + "'spec':%s}").formatted(name, spec).replace('\'', '"'));
    }

    ObjectNode stored(String name) { return objects.require(Kind.POD, "default", name); }

    String podScheduledMessage(String name) {
        for (var c : Json.at(stored(name), "status.conditions")) {
            if ("PodScheduled".equals(c.path("type").asText())) return c.path("message").asText();
        }
        return null;
    }

    @Test
    void aPodWithNodeNameIsLeftAlone() {
        // bound by its author to a node that is cordoned (and to one that does not exist): not the scheduler's business
        change("n1", n -> Json.objectAt(n, "spec").put("unschedulable", true));
        objects.create(pod("pinned", "{'nodeName':'n1','containers':[{'name':'a','image':'a'}]}"), true);
        objects.create(pod("elsewhere", "{'nodeName':'gone','containers':[{'name':'a','image':'a'}]}"), true);
        scheduler.reconcile();
        assertEquals("n1", Pods.nodeName(stored("pinned")));
        assertEquals("gone", Pods.nodeName(stored("elsewhere")));
        assertTrue(Json.at(stored("pinned"), "status.conditions").isMissingNode(), "no PodScheduled condition written");
        assertTrue(objects.list(Kind.EVENT, "default", LabelSelector.EVERYTHING).isEmpty(), "no Scheduled event either");
    }

    @Test
    void antiAffinityHoldsBetweenPodsPlacedInTheSameCycle() {
        String spec = "{'containers':[{'name':'a','image':'a'}],'affinity':{'podAntiAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':"
                + "[{'labelSelector':{'matchLabels':{'app':'web'}},'topologyKey':'kubernetes.io/hostname'}]}}}";
        for (int i = 1; i <= 4; i++) objects.create(pod("web-" + i, spec), true);
        scheduler.reconcile();
        List<String> nodes = List.of(1, 2, 3).stream().map(i -> Pods.nodeName(stored("web-" + i))).sorted().toList();
        assertEquals(List.of("n1", "n2", "n3"), nodes);
        assertNull(Pods.nodeName(stored("web-4")));
        assertEquals("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.", podScheduledMessage("web-4"));
    }

    @Test
    void topologySpreadCountsPodsPlacedInTheSameCycleAndNotTerminatingOnes() {
        change("n1", n -> Json.objectAt(n, "metadata.labels").put("topology.kubernetes.io/zone", "A"));
        change("n2", n -> Json.objectAt(n, "metadata.labels").put("topology.kubernetes.io/zone", "A"));
        change("n3", n -> Json.objectAt(n, "metadata.labels").put("topology.kubernetes.io/zone", "B"));
        // a pod on its way out of n3 does not count for zone B
        objects.create(pod("old", "{'nodeName':'n3','containers':[{'name':'a','image':'a'}]}"), true);
        objects.update(ObjectKey.of(stored("old")), p -> {
            Json.objectAt(p, "metadata").put("deletionTimestamp", "2024-01-01T00:00:00Z");
            return p;
        }, true);
        String spec = "{'containers':[{'name':'a','image':'a'}],'topologySpreadConstraints':[{'maxSkew':1,"
                + "'topologyKey':'topology.kubernetes.io/zone','whenUnsatisfiable':'DoNotSchedule','labelSelector':{'matchLabels':{'app':'web'}}}]}";
        for (int i = 1; i <= 4; i++) objects.create(pod("web-" + i, spec), true);
        scheduler.reconcile();
        // 1: n1; 2: A:1 B:0, only n3; 3: level, n2 has fewest pods; 4: A:2 B:1, only n3
        assertEquals(List.of("n1", "n3", "n2", "n3"), List.of(1, 2, 3, 4).stream().map(i -> Pods.nodeName(stored("web-" + i))).toList());
    }

    @Test
    void nodeLabelsAndTaintsComeFromTheNodeObject() {
        change("n2", n -> Json.objectAt(n, "metadata.labels").put("disk", "ssd"));
        change("n3", n -> {
            Json.objectAt(n, "metadata.labels").put("disk", "ssd");
            Json.objectAt(n, "spec").set("taints", Json.parse("{'t':[{'key':'dedicated','value':'db','effect':'NoSchedule'}]}"
                    .replace('\'', '"')).get("t"));
        });
        objects.create(pod("p1-ssd", "{'nodeSelector':{'disk':'ssd'},'containers':[{'name':'a','image':'a'}]}"), true);
        objects.create(pod("p2-db", "{'nodeSelector':{'disk':'ssd'},'containers':[{'name':'a','image':'a'}],"
                + "'tolerations':[{'key':'dedicated','operator':'Exists'}]}"), true);
        scheduler.reconcile();
        assertEquals("n2", Pods.nodeName(stored("p1-ssd")));
        // placed in name order: n2 already has p1-ssd, n3 none, so the pod that tolerates n3's taint goes there
        assertEquals("n3", Pods.nodeName(stored("p2-db")));
    }
}

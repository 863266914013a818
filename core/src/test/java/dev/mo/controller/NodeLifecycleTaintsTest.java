package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.controlplane.TestClock;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Taints;
import dev.mo.model.Taints.Taint;
import dev.mo.model.Times;
import dev.mo.store.ObjectKey;
import dev.mo.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The taints a node's state calls for, and when a pod leaves a node for its NoExecute taints, as Kubernetes decides. */
class NodeLifecycleTaintsTest {
    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    @ParameterizedTest(name = "Ready={0}, unschedulable={1}")
    @CsvSource(delimiter = '|', value = {
            // Ready  | cordoned | taints
            "True     | false    | ''",
            "False    | false    | node.kubernetes.io/not-ready:NoSchedule node.kubernetes.io/not-ready:NoExecute",
            "Unknown  | false    | node.kubernetes.io/unreachable:NoSchedule node.kubernetes.io/unreachable:NoExecute",
            "True     | true     | node.kubernetes.io/unschedulable:NoSchedule",
            "Unknown  | true     | node.kubernetes.io/unreachable:NoSchedule node.kubernetes.io/unreachable:NoExecute node.kubernetes.io/unschedulable:NoSchedule",
    })
    void aNodesStateCallsForItsTaints(String ready, boolean cordoned, String expected) {
        ObjectNode node = Json.parse("""
                {"metadata":{"name":"n1"},"spec":{"unschedulable":%s},"status":{"conditions":[{"type":"Ready","status":"%s"}]}}"""
                .formatted(cordoned, ready));
        assertEquals(expected, String.join(" ", NodeLifecycleController.conditionTaints(node).stream()
                .map(t -> t.key() + ":" + t.effect()).toList()));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', value = {
            // tolerations (single quotes for double)                                                         | NoExecute taint (added at T0) | evicted after (s); blank: never
            "[]                                                                                                | node.kubernetes.io/unreachable | 300",
            "[]                                                                                                | node.kubernetes.io/not-ready   | 300",
            // a toleration with tolerationSeconds: that long instead of the default
            "[{'key':'node.kubernetes.io/unreachable','operator':'Exists','effect':'NoExecute','tolerationSeconds':30}] | node.kubernetes.io/unreachable | 30",
            // without tolerationSeconds: tolerated for ever
            "[{'key':'node.kubernetes.io/unreachable','operator':'Exists','effect':'NoExecute'}]               | node.kubernetes.io/unreachable |",
            "[{'operator':'Exists'}]                                                                           | node.kubernetes.io/unreachable |",
            // a toleration of another taint does not count: the default applies
            "[{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoExecute','tolerationSeconds':30}] | node.kubernetes.io/unreachable | 300",
            // any other NoExecute taint the pod does not tolerate: at once
            "[]                                                                                                | maintenance                    | 0",
            "[{'key':'maintenance','operator':'Exists','tolerationSeconds':60}]                                | maintenance                    | 60",
    })
    void aPodLeavesANoExecuteTaintedNodeWhenItsTolerationEnds(String tolerations, String taint, Long seconds) {
        List<Taints.Toleration> t = Taints.tolerations(Json.parse("{\"spec\":{\"tolerations\":" + tolerations.replace('\'', '"') + "}}"));
        Instant at = NodeLifecycleController.evictionTime(t, List.of(new Taint(taint, "", Taints.NO_EXECUTE, T0.toString())),
                Duration.ofMinutes(5), T0.minusSeconds(3600));
        assertEquals(seconds == null ? null : T0.plusSeconds(seconds), at);
    }

    @Test
    void tolerationIsCountedFromTheControllersStartAtTheEarliest() {
        Instant started = T0.plusSeconds(100); // the server restarted after the taint was added
        assertEquals(started.plus(Duration.ofMinutes(5)), NodeLifecycleController.evictionTime(List.of(),
                List.of(new Taint(Taints.UNREACHABLE, "", Taints.NO_EXECUTE, T0.toString())), Duration.ofMinutes(5), started));
    }

    // A node that goes quiet, with a clock the test moves: grace 40 s, eviction 5 min (the defaults).

    final TestClock clock = new TestClock();
    final ObjectService objects = new ObjectService(Store.inMemory(), clock);
    final NodeLifecycleController controller = new NodeLifecycleController(objects, NodeLifecycleController.Timing.defaults());

    void heartbeat() {
        ObjectNode node = Meta.newObject(Kind.NODE, null, "n1");
        if (objects.store().get(Kind.NODE, null, "n1").isEmpty()) objects.create(node, true);
        objects.update(ObjectKey.of(objects.require(Kind.NODE, null, "n1")), n -> {
            n.set("status", Json.parse("""
                    {"conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"%s","lastTransitionTime":"%s"}]}"""
                    .formatted(Times.now(clock), T0)));
            return n;
        }, true);
    }

    List<String> taints() {
        return Taints.of(objects.require(Kind.NODE, null, "n1")).stream().map(t -> t.key() + ":" + t.effect()).toList();
    }

    void pod(String name, String tolerations) {
        objects.create(Json.parse("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default"},
                 "spec":{"nodeName":"n1","tolerations":%s,"containers":[{"name":"a","image":"a"}]}}"""
                .formatted(name, tolerations)), true);
    }

    boolean deleting(String pod) { return Meta.deleting(objects.require(Kind.POD, "default", pod)); }

    @Test
    void aQuietNodeIsTaintedItsPodsLeaveAsTheirTolerationsSayAndTheTaintsGoWhenItIsBack() {
        heartbeat();
        pod("plain", "[]");
        pod("brief", "[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":60}]");
        pod("stays", "[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\"}]");
        controller.reconcile();
        assertEquals(List.of(), taints());

        clock.advance(Duration.ofSeconds(41));
        controller.reconcile(); // Ready becomes Unknown
        controller.reconcile(); // and the node is tainted for it
        assertEquals(List.of(Taints.UNREACHABLE + ":NoSchedule", Taints.UNREACHABLE + ":NoExecute"), taints());

        clock.advance(Duration.ofSeconds(60));
        controller.reconcile();
        assertTrue(deleting("brief"), "tolerated for its 60 s");
        assertFalse(deleting("plain"));
        clock.advance(Duration.ofMinutes(4));
        controller.reconcile();
        assertTrue(deleting("plain"), "the default 5 min are over");
        assertFalse(deleting("stays"), "tolerates the taint for ever");

        heartbeat(); // the agent is back
        controller.reconcile();
        assertEquals(List.of(), taints());
        assertNull(Json.at(objects.require(Kind.NODE, null, "n1"), "spec.taints").textValue());
    }

    @Test
    void aCordonedNodeGetsTheUnschedulableTaintAndOtherTaintsStay() {
        heartbeat();
        objects.update(ObjectKey.of(objects.require(Kind.NODE, null, "n1")), n -> {
            Json.objectAt(n, "spec").put("unschedulable", true)
                    .set("taints", Json.parse("{\"t\":[{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoSchedule\"}]}").get("t"));
            return n;
        }, true);
        controller.reconcile();
        assertEquals(List.of("dedicated:NoSchedule", Taints.UNSCHEDULABLE + ":NoSchedule"), taints());
        objects.update(ObjectKey.of(objects.require(Kind.NODE, null, "n1")), n -> {
            ((ObjectNode) n.get("spec")).put("unschedulable", false);
            return n;
        }, true);
        controller.reconcile();
        assertEquals(List.of("dedicated:NoSchedule"), taints());
    }
}

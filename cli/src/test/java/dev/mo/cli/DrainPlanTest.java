package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DrainPlanTest {
    static final DrainPlan.Options DEFAULTS = new DrainPlan.Options(false, false, false);

    static ObjectNode pod(String name, String node, String ownerKind, String ownerUid, boolean ready, String extraSpec) {
        String owner = ownerKind == null ? "" : ",\"ownerReferences\":[{\"kind\":\"%s\",\"name\":\"o\",\"uid\":\"%s\",\"controller\":true}]"
                .formatted(ownerKind, ownerUid);
        return Json.parse("""
                {"kind":"Pod","metadata":{"name":"%s","namespace":"default","uid":"u-%s"%s},
                 "spec":{"nodeName":"%s"%s},
                 "status":{"phase":"Running","conditions":[{"type":"Ready","status":"%s"}]}}
                """.formatted(name, name, owner, node, extraSpec, ready ? "True" : "False"));
    }

    static List<String> names(List<ObjectNode> pods) {
        return pods.stream().map(p -> p.at("/metadata/name").asText()).toList();
    }

    @Test
    void podsOfAnOwnerWithAReadyPodElsewhereGoAtOnce() {
        ObjectNode a = pod("a", "n2", "ReplicaSet", "rs1", true, "");
        ObjectNode b = pod("b", "n2", "ReplicaSet", "rs1", true, "");
        ObjectNode c = pod("c", "n1", "ReplicaSet", "rs1", true, "");
        DrainPlan plan = DrainPlan.of("n2", List.of(a, b), List.of(a, b, c), DEFAULTS);
        assertEquals(List.of("a", "b"), names(plan.evictNow()));
        assertEquals(List.of(), plan.evictAfterReplacement());
    }

    @Test
    void anOwnerWhoseReadyPodsAreAllOnTheNodeKeepsOneUntilItsReplacementIsReady() {
        ObjectNode a = pod("a", "n2", "ReplicaSet", "rs1", true, "");
        ObjectNode b = pod("b", "n2", "ReplicaSet", "rs1", true, "");
        ObjectNode notReady = pod("c", "n1", "ReplicaSet", "rs1", false, "");
        DrainPlan plan = DrainPlan.of("n2", List.of(a, b), List.of(a, b, notReady), DEFAULTS);
        assertEquals(List.of("a"), names(plan.evictNow()));
        assertEquals(List.of("b"), names(plan.evictAfterReplacement()));
    }

    @Test
    void unmanagedDaemonSetAndEmptyDirPodsAreRefusedInKubectlsWordsUnlessAllowed() {
        ObjectNode bare = pod("bare", "n2", null, null, true, "");
        ObjectNode daemon = pod("d", "n2", "DaemonSet", "ds1", true, "");
        ObjectNode scratch = pod("s", "n2", "ReplicaSet", "rs2", true, ",\"volumes\":[{\"name\":\"tmp\",\"emptyDir\":{}}]");
        List<ObjectNode> pods = List.of(bare, daemon, scratch);

        DrainPlan refused = DrainPlan.of("n2", pods, pods, DEFAULTS);
        assertEquals(List.of(
                "cannot delete Pods that declare no controller (use --force to override): default/bare",
                "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/d",
                "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/s"), refused.refusals());

        DrainPlan allowed = DrainPlan.of("n2", pods, pods, new DrainPlan.Options(true, true, true));
        assertEquals(List.of(), allowed.refusals());
        assertEquals(List.of("bare", "s"), names(allowed.evictNow()));
        assertEquals(List.of("d"), names(allowed.ignored()));
    }

    @Test
    void finishedPodsAreDeletedAndLeavingOnesSkipped() {
        ObjectNode done = pod("done", "n2", null, null, false, "");
        ((ObjectNode) done.get("status")).put("phase", "Succeeded");
        ObjectNode leaving = pod("leaving", "n2", "ReplicaSet", "rs1", true, "");
        ((ObjectNode) leaving.get("metadata")).put("deletionTimestamp", "2026-01-01T00:00:00Z");
        DrainPlan plan = DrainPlan.of("n2", List.of(done, leaving), List.of(done, leaving), DEFAULTS);
        assertEquals(List.of("done"), names(plan.evictNow()));
        assertEquals(List.of(), plan.refusals());
    }
}

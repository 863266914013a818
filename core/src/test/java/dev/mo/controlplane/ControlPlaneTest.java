package dev.mo.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.NodeApi;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.model.Times;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The controllers and the scheduler together, in memory, with nodes that are only Node
 * objects: this test plays the agents' part by hand (report Running, confirm termination).
 */
class ControlPlaneTest {
    ControlPlane cp;
    NodeService nodes;

    static ObjectNode deployment(String name, int replicas, String image) {
        return Json.parse("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","namespace":"default"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
                  "template":{"metadata":{"labels":{"app":"%s"}},
                   "spec":{"containers":[{"name":"web","image":"%s"}]}}}}""".formatted(name, replicas, name, name, image));
    }

    static ObjectNode node(String name) { return TestNodes.ready(name); }

    @BeforeEach
    void start() {
        cp = ControlPlane.inMemory(Clock.systemUTC(), Duration.ofMillis(200));
        nodes = cp.nodes();
        nodes.heartbeat(node("n1"));
        nodes.heartbeat(node("n2"));
    }

    @AfterEach
    void stop() { cp.close(); }

    List<ObjectNode> pods(String app) {
        return cp.objects().list(Kind.POD, "default", LabelSelector.parse("app=" + app));
    }

    /** What an agent would report for a pod that runs and is ready. */
    void reportRunning(ObjectNode pod) {
        ObjectNode status = Json.parse("""
                {"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
                 "containerStatuses":[{"name":"web","ready":true,"restartCount":0,"state":{"running":{}}}]}""");
        nodes.reportPodStatus("default", Meta.name(pod), Meta.uid(pod), status, Map.of("80/TCP", "127.0.0.1:30001"));
    }

    @Test
    void aDeploymentBecomesAReplicaSetAndPodsSpreadOverTheNodes() {
        ObjectService.ApplyResult r = cp.objects().apply(List.of(deployment("web", 4, "web:1")), false);
        assertEquals("created", r.results().get(0).action());

        await().atMost(Duration.ofSeconds(10)).until(() ->
                pods("web").size() == 4 && pods("web").stream().allMatch(p -> Json.text(p, "spec.nodeName") != null));
        List<ObjectNode> sets = cp.objects().list(Kind.REPLICA_SET, "default", LabelSelector.EVERYTHING);
        assertEquals(1, sets.size());
        String rsName = Meta.name(sets.get(0));
        assertTrue(rsName.startsWith("web-"), rsName);
        Map<String, Long> perNode = pods("web").stream()
                .collect(Collectors.groupingBy(p -> Json.text(p, "spec.nodeName"), Collectors.counting()));
        assertEquals(Map.of("n1", 2L, "n2", 2L), perNode);
        for (ObjectNode p : pods("web")) {
            assertTrue(Meta.name(p).startsWith(rsName + "-"));
            assertEquals(Meta.uid(sets.get(0)), ObjectService.controllerUid(p));
        }

        pods("web").forEach(this::reportRunning);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Json.integer(cp.objects().require(Kind.DEPLOYMENT, "default", "web"), "status.availableReplicas", 0) == 4);
        ObjectNode d = cp.objects().require(Kind.DEPLOYMENT, "default", "web");
        assertEquals("1", Meta.annotations(d).get("deployment.kubernetes.io/revision"));
        assertEquals("{\"80/TCP\":\"127.0.0.1:30001\"}", Meta.annotations(pods("web").get(0)).get("mo.dev/host-ports"));
    }

    @Test
    void reapplyingTheSameObjectIsUnchangedAndAChangeIsConfigured() {
        cp.objects().apply(List.of(deployment("web", 1, "web:1")), false);
        assertEquals("unchanged", cp.objects().apply(List.of(deployment("web", 1, "web:1")), false).results().get(0).action());
        assertEquals("configured", cp.objects().apply(List.of(deployment("web", 2, "web:1")), false).results().get(0).action());
        assertEquals(2, Json.integer(cp.objects().require(Kind.DEPLOYMENT, "default", "web"), "metadata.generation", 0));
    }

    @Test
    void anApplyWithOneBadObjectWritesNothing() {
        ObjectNode good = deployment("good", 1, "web:1");
        ObjectNode elsewhere = deployment("lost", 1, "web:1");
        elsewhere.with("metadata").put("namespace", "nowhere");
        ApiError e = assertThrows(ApiError.class, () -> cp.objects().apply(List.of(good, elsewhere), false));
        assertTrue(e.messages().get(0).contains("namespaces \"nowhere\" not found"), e.messages().toString());
        assertTrue(cp.objects().get(Kind.DEPLOYMENT, "default", "good").isEmpty());
    }

    @Test
    void scalingDownDeletesPodsGracefullyAndTheAgentFinishesIt() {
        cp.objects().apply(List.of(deployment("web", 3, "web:1")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> pods("web").size() == 3
                && pods("web").stream().allMatch(p -> Json.text(p, "spec.nodeName") != null));
        cp.objects().apply(List.of(deployment("web", 1, "web:1")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> pods("web").stream().filter(Meta::deleting).count() == 2);
        // The agents stop the containers, then confirm:
        pods("web").stream().filter(Meta::deleting)
                .forEach(p -> nodes.podTerminated("default", Meta.name(p), Meta.uid(p)));
        assertEquals(1, pods("web").size());
    }

    @Test
    void deletingTheDeploymentCascadesToReplicaSetsAndPods() {
        cp.objects().apply(List.of(deployment("web", 2, "web:1")), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> pods("web").size() == 2);
        cp.objects().delete(Kind.DEPLOYMENT, "default", "web");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                cp.objects().list(Kind.REPLICA_SET, "default", LabelSelector.EVERYTHING).isEmpty()
                        && pods("web").stream().allMatch(p -> Meta.deleting(p) || Json.text(p, "spec.nodeName") == null));
        pods("web").forEach(p -> nodes.podTerminated("default", Meta.name(p), Meta.uid(p)));
        await().atMost(Duration.ofSeconds(10)).until(() -> pods("web").isEmpty());
    }

    @Test
    void deletingANamespaceEmptiesItThenRemovesIt() {
        ObjectNode ns = Json.parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}");
        ObjectNode d = deployment("web", 2, "web:1");
        d.with("metadata").put("namespace", "shop");
        cp.objects().apply(List.of(ns, d), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().list(Kind.POD, "shop", LabelSelector.EVERYTHING)
                .stream().filter(p -> Json.text(p, "spec.nodeName") != null).count() == 2);
        cp.objects().delete(Kind.NAMESPACE, null, "shop");
        assertEquals("Terminating", Json.text(cp.objects().require(Kind.NAMESPACE, null, "shop"), "status.phase"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().list(Kind.POD, "shop", LabelSelector.EVERYTHING)
                .stream().allMatch(Meta::deleting));
        cp.objects().list(Kind.POD, "shop", LabelSelector.EVERYTHING)
                .forEach(p -> nodes.podTerminated("shop", Meta.name(p), Meta.uid(p)));
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().get(Kind.NAMESPACE, null, "shop").isEmpty());
        assertTrue(cp.objects().get(Kind.DEPLOYMENT, "shop", "web").isEmpty());
    }

    @Test
    void theDefaultNamespaceCannotBeDeleted() {
        ApiError e = assertThrows(ApiError.class, () -> cp.objects().delete(Kind.NAMESPACE, null, "default"));
        assertEquals(403, e.status());
    }

    @Test
    void anAgentsLongPollWakesOnlyForItsOwnPods() throws Exception {
        NodeApi.PodsForNode first = nodes.podsForNode("n1", -1, Duration.ZERO);
        long started = System.nanoTime();
        // An event elsewhere does not end the wait early.
        ObjectNode cm = Json.parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":\"default\"}}");
        cp.objects().apply(List.of(cm), false);
        NodeApi.PodsForNode again = nodes.podsForNode("n1", first.revision(), Duration.ofMillis(300));
        assertEquals(first.revision(), again.revision());
        assertTrue(System.nanoTime() - started >= 250_000_000L);
        Set<String> names = again.pods().stream().map(Meta::name).collect(Collectors.toSet());
        assertTrue(names.isEmpty());
    }
}

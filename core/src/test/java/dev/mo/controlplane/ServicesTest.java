package dev.mo.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/** Services get a cluster IP and node ports; Endpoints follow the pods' published ports and readiness. */
class ServicesTest {
    ControlPlane cp;

    @BeforeEach
    void start() {
        cp = ControlPlane.inMemory(Clock.systemUTC(), Duration.ofMillis(100));
        cp.nodes().heartbeat(Json.parse("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},
                 "status":{"addresses":[{"type":"InternalIP","address":"127.0.0.2"}],
                  "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"%s"}]}}"""
                .formatted(Times.now(Clock.systemUTC()))));
    }

    @AfterEach
    void stop() { cp.close(); }

    static ObjectNode service(String name, String type, String targetPort) {
        return Json.parse("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s","namespace":"default"},
                 "spec":{"type":"%s","selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":%s}]}}"""
                .formatted(name, type, targetPort));
    }

    static final ObjectNode DEPLOYMENT = Json.parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
              "template":{"metadata":{"labels":{"app":"web"}},
               "spec":{"containers":[{"name":"web","image":"web:1","ports":[{"name":"web","containerPort":8080}]}]}}}}""");

    ObjectNode get(Kind kind, String name) { return cp.objects().require(kind, "default", name); }

    List<ObjectNode> pods() { return cp.objects().list(Kind.POD, "default", LabelSelector.parse("app=web")); }

    void report(ObjectNode pod, boolean ready, int hostPort) {
        ObjectNode status = Json.parse("""
                {"phase":"Running","conditions":[{"type":"Ready","status":"%s"}]}""".formatted(ready ? "True" : "False"));
        cp.nodes().reportPodStatus("default", Meta.name(pod), Meta.uid(pod), status,
                Map.of("8080/TCP", "127.0.0.2:" + hostPort));
    }

    @Test
    void clusterIpsAndNodePortsAreAllocatedOnceAndKept() {
        cp.objects().apply(List.of(service("a", "ClusterIP", "8080"), service("b", "NodePort", "8080")), false);
        assertEquals("10.96.0.10", Json.text(get(Kind.SERVICE, "a"), "spec.clusterIP"));
        assertEquals("10.96.0.11", Json.text(get(Kind.SERVICE, "b"), "spec.clusterIP"));
        assertEquals(30000, get(Kind.SERVICE, "b").at("/spec/ports/0/nodePort").asInt());
        assertTrue(get(Kind.SERVICE, "a").at("/spec/ports/0/nodePort").isMissingNode());
        ObjectService.ApplyResult again = cp.objects().apply(List.of(service("b", "NodePort", "8080")), false);
        assertEquals("unchanged", again.results().get(0).action());
        ObjectNode fixed = service("b", "NodePort", "8080");
        fixed.with("spec").put("clusterIP", "10.96.9.9");
        ApiError e = assertThrows(ApiError.class, () -> cp.objects().apply(List.of(fixed), false));
        assertTrue(e.messages().get(0).contains("spec.clusterIP: field is immutable"), e.messages().toString());
    }

    @Test
    void aServiceTurnedNodePortGetsANodePortAndTurnedBackLosesIt() {
        cp.objects().apply(List.of(service("a", "ClusterIP", "8080"), service("b", "NodePort", "8080")), false);
        assertEquals(30000, get(Kind.SERVICE, "b").at("/spec/ports/0/nodePort").asInt());

        assertEquals("configured", cp.objects().apply(List.of(service("a", "NodePort", "8080")), false).results().get(0).action());
        assertEquals(30001, get(Kind.SERVICE, "a").at("/spec/ports/0/nodePort").asInt(), "the next free one, not b's");
        assertEquals("10.96.0.10", Json.text(get(Kind.SERVICE, "a"), "spec.clusterIP"), "its cluster IP kept");

        cp.objects().apply(List.of(service("a", "ClusterIP", "8080")), false);
        assertTrue(get(Kind.SERVICE, "a").at("/spec/ports/0/nodePort").isMissingNode(), get(Kind.SERVICE, "a").toString());
    }

    @Test
    void endpointsListReadyPodsByNodeAddressAndHostPort() {
        cp.objects().apply(List.of(service("web", "ClusterIP", "\"web\""), DEPLOYMENT), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> pods().size() == 2
                && pods().stream().allMatch(p -> Json.text(p, "spec.nodeName") != null));
        List<ObjectNode> pods = pods();
        report(pods.get(0), true, 32001);
        report(pods.get(1), false, 32002);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ObjectNode ep = get(Kind.ENDPOINTS, "web");
            assertEquals(2, Json.at(ep, "subsets").size(), ep.toString());
        });
        ObjectNode ep = get(Kind.ENDPOINTS, "web");
        String readyPod = Meta.name(pods.get(0));
        for (var subset : Json.at(ep, "subsets")) {
            boolean isReady = subset.has("addresses");
            var address = isReady ? subset.at("/addresses/0") : subset.at("/notReadyAddresses/0");
            assertEquals("127.0.0.2", address.path("ip").asText());
            assertEquals("n1", address.path("nodeName").asText());
            assertEquals(isReady, readyPod.equals(address.at("/targetRef/name").asText()));
            assertEquals(isReady ? 32001 : 32002, subset.at("/ports/0/port").asInt());
            assertEquals("http", subset.at("/ports/0/name").asText());
        }
        // Readiness flips: the endpoint moves.
        report(pods.get(0), false, 32001);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Json.at(get(Kind.ENDPOINTS, "web"), "subsets").findValues("addresses").isEmpty());
    }

    @Test
    void aTargetPortNameThatNoContainerHasIsAnEventOnTheService() {
        cp.objects().apply(List.of(service("web", "ClusterIP", "\"nope\""), DEPLOYMENT), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> pods().size() == 2
                && pods().stream().allMatch(p -> Json.text(p, "spec.nodeName") != null));
        pods().forEach(p -> report(p, true, 32000 + Math.abs(Meta.uid(p).hashCode() % 1000)));
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().events().eventsFor(get(Kind.SERVICE, "web"))
                .stream().anyMatch(e -> "FailedToResolvePort".equals(Json.text(e, "reason"))
                        && Json.text(e, "message").contains("targetPort \"nope\" of port 80 names no container port")));
        assertEquals(0, Json.at(get(Kind.ENDPOINTS, "web"), "subsets").size());
    }

    @Test
    void anIngressNamingAMissingServiceIsAnEventAndItsAddressIsTheNodes() {
        ObjectNode ingress = Json.parse("""
                {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"shop","namespace":"default"},
                 "spec":{"rules":[{"http":{"paths":[{"path":"/","pathType":"Prefix",
                   "backend":{"service":{"name":"ghost","port":{"number":80}}}}]}}]}}""");
        cp.objects().apply(List.of(ingress), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().events().eventsFor(get(Kind.INGRESS, "shop"))
                .stream().anyMatch(e -> Json.text(e, "message").equals("service \"default/ghost\" not found")));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "127.0.0.2".equals(Json.text(get(Kind.INGRESS, "shop"), "status.loadBalancer.ingress.0.ip")));
    }

    @Test
    void aLoadBalancerServiceAnswersOnTheNodesAddresses() {
        cp.objects().apply(List.of(service("lb", "LoadBalancer", "8080")), false);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "127.0.0.2".equals(Json.text(get(Kind.SERVICE, "lb"), "status.loadBalancer.ingress.0.ip")));
    }

    static final ObjectNode HEADLESS = Json.parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"db","namespace":"default"},
             "spec":{"clusterIP":"None","selector":{"app":"db"},"ports":[{"name":"sql","port":8080}]}}""");

    static final ObjectNode STATEFUL_SET = Json.parse("""
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"default"},
             "spec":{"replicas":2,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
              "template":{"metadata":{"labels":{"app":"db"}},
               "spec":{"containers":[{"name":"db","image":"db:1","ports":[{"containerPort":8080}]}]}}}}""");

    Map<String, String> podAddresses() {
        return dev.mo.model.PodAddresses.of(get(Kind.ENDPOINTS, "db"));
    }

    void reportWhenScheduled(String pod, int hostPort) {
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().get(Kind.POD, "default", pod)
                .map(p -> Json.text(p, "spec.nodeName") != null).orElse(false));
        report(get(Kind.POD, pod), true, hostPort);
    }

    @Test
    void aHeadlessServiceGivesEachPodAStableAddressAndItsHostname() {
        cp.objects().apply(List.of(HEADLESS, STATEFUL_SET), false);
        reportWhenScheduled("db-0", 32010);
        reportWhenScheduled("db-1", 32011);
        await().atMost(Duration.ofSeconds(10)).until(() -> podAddresses().size() == 2);
        Map<String, String> addresses = podAddresses();
        assertNotEquals(addresses.get("db-0"), addresses.get("db-1"));
        addresses.values().forEach(ip -> assertTrue(ip.startsWith("10.244."), ip));
        List<String> hostnames = new java.util.ArrayList<>();
        Json.at(get(Kind.ENDPOINTS, "db"), "subsets").forEach(s -> hostnames.add(s.at("/addresses/0/hostname").asText()));
        assertEquals(List.of("db-0", "db-1"), hostnames);
        assertEquals("None", Json.text(get(Kind.SERVICE, "db"), "spec.clusterIP"), "a headless Service gets no cluster IP");

        // db-1 deleted: it leaves the Endpoints, comes back under its name, and gets its address again.
        String oldUid = Meta.uid(get(Kind.POD, "db-1"));
        cp.objects().delete(Kind.POD, "default", "db-1");
        cp.nodes().podTerminated("default", "db-1", oldUid);
        await().atMost(Duration.ofSeconds(10)).until(() -> !podAddresses().containsKey("db-1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().get(Kind.POD, "default", "db-1")
                .map(p -> !Meta.uid(p).equals(oldUid)).orElse(false));
        reportWhenScheduled("db-1", 32012);
        await().atMost(Duration.ofSeconds(10)).until(() -> podAddresses().size() == 2);
        assertEquals(addresses, podAddresses());
    }

    @Test
    void aServiceWithAClusterIpGetsNoPodAddresses() {
        ObjectNode withClusterIp = HEADLESS.deepCopy();
        ((ObjectNode) withClusterIp.get("spec")).remove("clusterIP");
        cp.objects().apply(List.of(withClusterIp, STATEFUL_SET), false);
        reportWhenScheduled("db-0", 32010);
        await().atMost(Duration.ofSeconds(10)).until(() -> Json.at(get(Kind.ENDPOINTS, "db"), "subsets").size() == 1);
        assertEquals(Map.of(), podAddresses());
        // the hostname is Kubernetes' all the same: the pod's subdomain is this Service
        assertEquals("db-0", get(Kind.ENDPOINTS, "db").at("/subsets/0/addresses/0/hostname").asText());
    }
}

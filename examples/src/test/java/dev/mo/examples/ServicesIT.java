package dev.mo.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 3's proof on a real Docker engine (seed scenario 1, "a backend pod crashes"): two
 * replicas behind a Service and an Ingress, steady load through mo's proxy; one container
 * killed, then the other made to fail its liveness probe: zero failed requests, both
 * restarted, restarts and events shown. Then readiness, and discovery by Service name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServicesIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = "e2e-svc";
    static final String MANIFESTS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: %1$s}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: backend, namespace: %1$s}
            spec:
              replicas: 2
              selector: {matchLabels: {app: backend}}
              template:
                metadata: {labels: {app: backend}}
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                    - name: web
                      image: mo-example/hello:v1
                      ports: [{name: http, containerPort: 8080}]
                      livenessProbe:
                        httpGet: {path: /healthz, port: http}
                        periodSeconds: 1
                        failureThreshold: 3
                      readinessProbe:
                        httpGet: {path: /ready, port: http}
                        periodSeconds: 1
                        failureThreshold: 2
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: backend, namespace: %1$s}
            spec:
              selector: {app: backend}
              ports: [{name: http, port: 80, targetPort: http}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: backend-np, namespace: %1$s}
            spec:
              type: NodePort
              selector: {app: backend}
              ports: [{port: 80, targetPort: 8080}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: shop, namespace: %1$s}
            spec:
              rules:
                - http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: backend, port: {number: 80}}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: client, namespace: %1$s}
            spec:
              replicas: 1
              selector: {matchLabels: {app: client}}
              template:
                metadata: {labels: {app: client}}
                spec:
                  containers: [{name: web, image: mo-example/hello:v1}]
            """.formatted(NS);

    AppOnMo app;
    MoProcess mo;
    String ingress;

    @BeforeAll
    void start() throws Exception {
        app = AppOnMo.start("e2e-svc", NS, MANIFESTS, true);
        mo = app.mo;
        ingress = app.ingress;
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertEquals(2, readyBackends().size()));
        await().atMost(Duration.ofSeconds(30)).until(() -> Load.get(ingress).statusCode() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) app.close();
    }



    JsonNode pods(String app) throws Exception {
        MoProcess.Result r = mo.mo("get", "pods", "-n", NS, "-l", "app=" + app, "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        return JSON.readTree(r.out()).path("items");
    }

    /** Names of backend pods whose Ready condition is True. */
    List<String> readyBackends() throws Exception {
        List<String> ready = new java.util.ArrayList<>();
        for (JsonNode p : pods("backend")) {
            for (JsonNode c : p.at("/status/conditions")) {
                if (c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True")) {
                    ready.add(p.at("/metadata/name").asText());
                }
            }
        }
        return ready;
    }

    Map<String, Integer> restartCounts() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode p : pods("backend")) {
            counts.put(p.at("/metadata/name").asText(), p.at("/status/containerStatuses/0/restartCount").asInt());
        }
        return counts;
    }

    String runningContainerOf(String pod) throws Exception {
        return Docker.run("ps", "-q", "--filter", "label=mo.pod=" + pod, "--filter", "label=mo.namespace=" + NS).strip();
    }

    @Test
    @Order(1)
    void aKilledReplicaAndOneFailingItsLivenessProbeCostNoRequest() throws Exception {
        List<String> backends = readyBackends();
        String first = backends.get(0), second = backends.get(1);
        try (Load load = new Load(ingress, 20_000, Duration.ofSeconds(120)).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > 50);

            Docker.run("kill", runningContainerOf(first));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertEquals(1, restartCounts().get(first));
                assertTrue(readyBackends().contains(first));
            });

            Docker.run("exec", runningContainerOf(second), "rm", "/www/healthz");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertEquals(1, restartCounts().get(second));
                assertEquals(2, readyBackends().size());
            });
            int before = load.ok.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > before + 50);
            load.close();
            assertEquals(List.of(), load.failures, "requests that failed");
            assertTrue(load.answeredBy.keySet().containsAll(List.of(first, second)), load.answeredBy.toString());
        }
        MoProcess.Result table = mo.mo("get", "pods", "-n", NS, "-l", "app=backend");
        assertEquals(2, table.out().lines().filter(l -> l.matches("backend-\\S+\\s+1/1\\s+Running\\s+1( \\(.*ago\\))?\\s+\\S+"))
                .count(), table.out());
        MoProcess.Result describe = mo.mo("describe", "pod", second, "-n", NS);
        assertTrue(describe.out().contains("Liveness probe failed: HTTP probe failed with statuscode: 404"), describe.out());
        assertTrue(describe.out().contains("Container web failed liveness probe, will be restarted"), describe.out());
    }

    @Test
    @Order(2)
    void aReplicaFailingReadinessGetsNoRequestsUntilItPassesAgain() throws Exception {
        List<String> backends = readyBackends();
        String sick = backends.get(0), healthy = backends.get(1);
        Docker.run("exec", runningContainerOf(sick), "rm", "/www/ready");
        // periodSeconds 1 × failureThreshold 2, plus the time for the change to reach the proxy.
        await().atMost(Duration.ofSeconds(6)).until(() -> !readyBackends().contains(sick));
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = Load.get(ingress);
            assertEquals(200, r.statusCode());
            assertEquals(healthy, Load.pod(r.body()));
        }
        Docker.run("exec", runningContainerOf(sick), "sh", "-c", "echo ok > /www/ready");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < 10; i++) if (Load.pod(Load.get(ingress).body()).equals(sick)) return true;
            return false;
        });
    }

    @Test
    @Order(3)
    void aContainerReachesTheServiceByEachOfItsNamesAndANodePortAnswersOnTheNode() throws Exception {
        String client = runningContainerOf(pods("client").get(0).at("/metadata/name").asText());
        for (String name : List.of("backend", "backend." + NS, "backend." + NS + ".svc.cluster.local")) {
            String body = Docker.run("exec", client, "timeout", "5", "wget", "-qO-", "http://" + name + "/");
            assertTrue(body.startsWith("hello from backend-"), name + " answered: " + body);
        }
        MoProcess.Result svc = mo.mo("get", "service", "backend-np", "-n", NS, "-o", "json");
        int nodePort = JSON.readTree(svc.out()).at("/spec/ports/0/nodePort").asInt();
        assertTrue(nodePort >= 30000 && nodePort <= 32767, svc.out());
        HttpResponse<String> viaNodePort = Load.get("http://127.0.0.1:" + nodePort + "/");
        assertEquals(200, viaNodePort.statusCode());
        assertTrue(viaNodePort.body().startsWith("hello from backend-"), viaNodePort.body());

        MoProcess.Result ep = mo.mo("get", "endpoints", "backend", "-n", NS);
        assertTrue(ep.out().lines().skip(1).findFirst().orElse("").matches("backend\\s+127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+\\s+\\S+"),
                ep.out());
    }

    @Test
    @Order(4)
    void clientIpAffinityKeepsAClientOnOneReplicaWhereRoundRobinSpreadsIt() throws Exception {
        String client = runningContainerOf(pods("client").get(0).at("/metadata/name").asText());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(2, replicasAnswering(client, 6).size(), "round robin reaches both replicas"));

        MoProcess.Result patched = mo.mo("patch", "service", "backend", "-n", NS, "-p", "{\"spec\":{\"sessionAffinity\":\"ClientIP\"}}");
        assertEquals(0, patched.exitCode(), patched.toString());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(1, replicasAnswering(client, 6).size(), "one client, one replica"));
        // Still one replica, now that the node's proxy has the affinity.
        assertEquals(1, replicasAnswering(client, 10).size());
    }

    /** The replicas that answer {@code requests} GETs from this container to the Service's name. */
    private static java.util.Set<String> replicasAnswering(String container, int requests) throws Exception {
        java.util.Set<String> pods = new java.util.TreeSet<>();
        for (int i = 0; i < requests; i++) {
            pods.add(Load.pod(Docker.run("exec", container, "timeout", "5", "wget", "-qO-", "http://backend/")));
        }
        return pods;
    }
}

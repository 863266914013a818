package dev.mo.cli;

import dev.mo.cli.LocalControlPlane.Run;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.PodMetrics;
import dev.mo.controlplane.ControlPlane;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/** {@code mo autoscale}, {@code mo top} and {@code mo get hpa} against a control plane over HTTP, metrics injected. */
class AutoscaleTopCliTest {
    @TempDir
    Path dir;
    LocalControlPlane local;
    ControlPlane cp;
    String server;

    @BeforeEach
    void start() {
        local = LocalControlPlane.start(dir);
        cp = local.cp;
        server = local.server;
    }

    @AfterEach
    void stop() { local.close(); }


    Run mo(String... args) { return local.mo(args); }

    static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: web
                      image: nginx
                      resources:
                        requests: {cpu: 200m}
            """;

    /** Makes the deployment's pods Ready and reports {@code millicores} for each, as an agent on n1 would. */
    List<String> readyPodsUsing(long millicores) {
        List<ObjectNode> pods = cp.objects().list(Kind.POD, "default", LabelSelector.parse("app=web"));
        List<PodMetrics> reported = new ArrayList<>();
        for (ObjectNode pod : pods) {
            ObjectNode status = Json.parse("{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}");
            cp.nodes().reportPodStatus("default", Meta.name(pod), Meta.uid(pod), status, Map.of());
            reported.add(new PodMetrics("default", Meta.name(pod), Instant.now(), 5000,
                    List.of(new PodMetrics.Container("web", millicores, 12L * 1024 * 1024))));
        }
        cp.nodes().reportMetrics("n1", reported);
        return pods.stream().map(Meta::name).sorted().toList();
    }

    @Test
    void autoscaleCreatesAV2AutoscalerAndGetShowsItsTarget() throws Exception {
        Path file = dir.resolve("web.yaml");
        Files.writeString(file, WEB);
        assertEquals(0, mo("apply", "-f", file.toString()).exit());

        Run r = mo("autoscale", "deployment/web", "--cpu-percent=70", "--min=2", "--max=10");
        assertEquals(0, r.exit(), r.err());
        assertEquals("horizontalpodautoscaler.autoscaling/web autoscaled\n", r.out());
        ObjectNode hpa = cp.objects().require(Kind.HORIZONTAL_POD_AUTOSCALER, "default", "web");
        assertEquals("autoscaling/v2", Json.text(hpa, "apiVersion"));
        assertEquals(70, hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt());
        assertEquals(2, hpa.at("/spec/minReplicas").asInt());

        Run again = mo("autoscale", "deployment/web", "--max=3");
        assertEquals(1, again.exit());
        assertEquals("Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling \"web\" already exists\n", again.err());
        Run missing = mo("autoscale", "deployment/nope", "--max=3");
        assertEquals("Error from server (NotFound): deployments.apps \"nope\" not found\n", missing.err());
        assertTrue(mo("autoscale", "deployment/web").err().startsWith("error: --max=MAXPODS is required"));

        await().atMost(Duration.ofSeconds(10)).until(() ->
                cp.objects().list(Kind.POD, "default", LabelSelector.parse("app=web")).size() == 2);
        readyPodsUsing(90); // 45% of the 200m request, target 70%: stays at 2 (the minimum)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Run get = mo("get", "hpa");
            assertTrue(get.out().contains("Deployment/web   cpu: 45%/70%   2         10        "), get.out());
        });
        assertEquals(2, Json.integer(cp.objects().require(Kind.DEPLOYMENT, "default", "web"), "spec.replicas", 0));

        readyPodsUsing(300); // 150% of request: ratio 2.14 -> ceil(2 x 2.14) = 5
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Json.integer(cp.objects().require(Kind.DEPLOYMENT, "default", "web"), "spec.replicas", 0) == 5);
        Run events = mo("describe", "hpa", "web");
        assertTrue(events.out().contains("New size: 5; reason: cpu resource utilization (percentage of request) above target"),
                events.out());
    }

    @Test
    void topPodsAndNodes() {
        Run none = mo("top", "pods");
        assertEquals(1, none.exit());
        assertEquals("error: metrics not available yet\n", none.err());
        assertEquals("error: metrics not available yet\n", mo("top", "nodes").err());

        cp.nodes().heartbeat(Json.parse("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},
                 "status":{"capacity":{"cpu":"4","memory":"8Gi"},"allocatable":{"cpu":"4","memory":"8Gi"}}}"""));
        Instant now = Instant.now();
        cp.nodes().reportMetrics("n1", List.of(
                new PodMetrics("default", "web-x", now, 5000, List.of(new PodMetrics.Container("web", 250, 12L << 20))),
                new PodMetrics("default", "web-y", now, 5000, List.of(new PodMetrics.Container("web", 1500, 100L << 20),
                        new PodMetrics.Container("log", 5, 4L << 20))),
                new PodMetrics("shop", "db-0", now, 5000, List.of(new PodMetrics.Container("db", 20, 300L << 20)))));

        Run pods = mo("top", "pods");
        assertEquals(0, pods.exit(), pods.err());
        assertEquals("""
                NAME    CPU(cores)   MEMORY(bytes)  \s
                web-x   250m         12Mi           \s
                web-y   1505m        104Mi          \s
                """, pods.out());
        Run all = mo("top", "pods", "-A");
        assertEquals("""
                NAMESPACE   NAME    CPU(cores)   MEMORY(bytes)  \s
                default     web-x   250m         12Mi           \s
                default     web-y   1505m        104Mi          \s
                shop        db-0    20m          300Mi          \s
                """, all.out());
        assertEquals("error: metrics not available yet\n", mo("top", "pods", "-n", "empty").err());

        Run nodes = mo("top", "nodes");
        assertEquals(0, nodes.exit(), nodes.err());
        assertEquals("""
                NAME   CPU(cores)   CPU%   MEMORY(bytes)   MEMORY%  \s
                n1     1775m        44%    416Mi           5%       \s
                """, nodes.out());

        ObjectNode list = local.client().call("GET", "/api/metrics/pods?namespace=shop", null,
                Duration.ofSeconds(5));
        assertEquals("PodMetricsList", list.path("kind").asText());
        assertEquals("20m", list.at("/items/0/containers/0/usage/cpu").asText());
        assertEquals("300Mi", list.at("/items/0/containers/0/usage/memory").asText());
    }
}

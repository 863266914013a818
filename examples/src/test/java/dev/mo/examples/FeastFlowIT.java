package dev.mo.examples;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * FeastFlow as the seed tells it, on a real Docker engine: its images built by
 * {@code examples/feastflow/build-images.sh}, its manifests applied unchanged from
 * {@code examples/feastflow/devops/kubernetes/}, and the five scenarios run by the very
 * script a user runs ({@code examples/feastflow/scenarios.sh}), which checks each promise
 * itself (no failed request under load, v1 → v2 → v1, data kept, new config) and exits 1
 * at the first broken one. Then the server is killed with SIGKILL and started again: it adopts
 * the running database and replicas, and the orders are still served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeastFlowIT {
    static final Path EXAMPLES = Path.of(System.getProperty("mo.examples", ".")).toAbsolutePath();
    static final Path FEASTFLOW = EXAMPLES.resolve("feastflow");
    static final String NS = "feastflow";
    static final String CLAIM_VOLUME = "mo-pvc-feastflow-postgres-pvc";

    Path work;
    MoProcess mo;
    String ingress;

    @BeforeAll
    void startFeastFlow() throws Exception {
        work = Files.createTempDirectory("mo-feastflow");
        Docker.run("volume", "rm", "-f", CLAIM_VOLUME); // a database left by an earlier, broken run
        Docker.buildWith("feastflow/build-images.sh");

        int ingressPort = MoProcess.freePort();
        ingress = "http://127.0.0.1:" + ingressPort;
        mo = new MoProcess(work.resolve("state"), MoProcess.freePort(), "feastflow-" + ProcessHandle.current().pid())
                .withIngressPort(ingressPort).start();
        MoProcess.Result applied = mo.mo("apply", "-f", FEASTFLOW.resolve("devops/kubernetes").toString());
        assertEquals(0, applied.exitCode(), applied.toString());
        for (String rollout : List.of("statefulset/postgres", "deployment/feastflow-backend", "deployment/feastflow-frontend")) {
            MoProcess.Result r = mo.mo("rollout", "status", rollout, "-n", NS, "--timeout", "110s");
            assertEquals(0, r.exitCode(), rollout + ": " + r + "\n" + mo.serverLog());
        }
    }

    @Test
    @Order(1)
    void theSeedsFiveScenariosBehaveAsPromised() throws Exception {
        FeastFlowScenarios.runAndCheck(mo, ingress, work, Map.of());
    }

    @Test
    @Order(2)
    void aKilledServerAdoptsTheRunningAppAndNoOrderIsLost() throws Exception {
        String ordersBefore = await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/orders"), body -> body != null);
        assertTrue(ordersBefore.contains("\"itemId\""), "scenario 4 stored an order: " + ordersBefore);
        // The last rollout may still be stopping an old pod (rollout status does not wait for
        // that): the app to adopt is what runs once no pod is terminating.
        ClusterView cluster = new ClusterView(mo, NS);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (var p : cluster.items("pods")) if (p.at("/metadata/deletionTimestamp").isTextual()) return false;
            return true;
        });
        List<String> before = Docker.runningWithLabel("mo.namespace=" + NS);
        mo.kill9();
        mo.start();
        // Several sync rounds of the restarted agent: the same containers keep running, none is added.
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(60))
                .until(() -> get("/api/orders"), body -> body != null);
        assertEquals(before, Docker.runningWithLabel("mo.namespace=" + NS), "the running containers were adopted, not replaced");
        assertEquals(ordersBefore, get("/api/orders"));
    }

    /** GET through this server's Ingress; null unless 200. */
    String get(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ingress + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (mo == null) return;
        try {
            mo.mo("delete", "namespace", NS, "--timeout", "100");
        } finally {
            mo.close();
            Docker.removeAllWithLabel("mo.node=" + mo.nodeName);
            Docker.run("volume", "rm", "-f", CLAIM_VOLUME);
        }
    }

}

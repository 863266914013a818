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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 4's proof on a real Docker engine (seed scenarios 2, 3 and 5): under steady load
 * through mo's Ingress proxy, an update v1 → v2, a broken update stopped and undone, scaling
 * 2 → 5 → 2, and a ConfigMap change rolled in with {@code mo rollout restart}: no request
 * fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = "e2e-rollout";
    static final String MANIFESTS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: %1$s}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: %1$s}
            data: {GREETING: hello-one}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: %1$s}
            spec:
              replicas: 3
              progressDeadlineSeconds: 600
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                    - name: web
                      image: mo-example/hello:v1
                      ports: [{name: http, containerPort: 8080}]
                      env:
                        - name: GREETING
                          valueFrom: {configMapKeyRef: {name: settings, key: GREETING}}
                      readinessProbe:
                        httpGet: {path: /ready, port: http}
                        periodSeconds: 1
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: %1$s}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: http}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: %1$s}
            spec:
              defaultBackend: {service: {name: web, port: {number: 80}}}
            """.formatted(NS);

    AppOnMo app;
    MoProcess mo;
    String ingress;

    @BeforeAll
    void start() throws Exception {
        app = AppOnMo.start("e2e-rollout", NS, MANIFESTS, true);
        mo = app.mo;
        ingress = app.ingress;
        ok(mo.mo("rollout", "status", "deployment/web", "-n", NS, "--timeout", "90s"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Load.get(ingress).statusCode() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) app.close();
    }

    static MoProcess.Result ok(MoProcess.Result r) {
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    JsonNode deployment() throws Exception {
        return JSON.readTree(ok(mo.mo("get", "deployment", "web", "-n", NS, "-o", "json")).out());
    }

    @Test
    @Order(1)
    void anUpdateToV2UnderLoadFailsNoRequestAndKeepsThreeReady() throws Exception {
        try (Load load = new Load(ingress, 50_000, Duration.ofSeconds(120)).start();
             EndpointsWatch watch = new EndpointsWatch(mo, "", "web").start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > 50);
            ok(mo.mo("set", "image", "deployment/web", "web=mo-example/hello:v2", "-n", NS));
            MoProcess.Result status = ok(mo.mo("rollout", "status", "deployment/web", "-n", NS, "--timeout", "120s"));
            assertTrue(status.out().contains("deployment \"web\" successfully rolled out"), status.out());
            await().atMost(Duration.ofSeconds(10)).until(() -> Load.get(ingress).body().contains("(v2)"));
            load.close();
            assertEquals(List.of(), load.failures);
            // maxSurge 25% of 3 rounds up to 1, maxUnavailable 25% rounds down to 0: never fewer than 3 ready.
            assertTrue(watch.minReady >= 3, "fewest ready endpoints during the rollout: " + watch.minReady);
        }
        for (int i = 0; i < 10; i++) assertTrue(Load.get(ingress).body().contains("(v2)"));
    }

    @Test
    @Order(2)
    void aBrokenUpdateStopsAtTheSurgeAndUndoBringsTheOldTemplateBack() throws Exception {
        try (Load load = new Load(ingress, 50_000, Duration.ofSeconds(120)).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > 50);
            ok(mo.mo("set", "image", "deployment/web", "web=mo-example/hello:missing", "-n", NS));
            MoProcess.Result status = mo.mo("rollout", "status", "deployment/web", "-n", NS, "--timeout", "8s");
            assertNotEquals(0, status.exitCode(), status.toString());
            assertTrue(status.err().contains("error: timed out waiting for the condition"), status.err());
            JsonNode pods = JSON.readTree(ok(mo.mo("get", "pods", "-n", NS, "-o", "json")).out()).path("items");
            long broken = 0;
            for (JsonNode p : pods) {
                if (p.at("/spec/containers/0/image").asText().endsWith(":missing")) broken++;
            }
            assertEquals(1, broken, "the rollout stops at the surge: one new pod");
            assertEquals(3, deployment().at("/status/availableReplicas").asInt());

            ok(mo.mo("rollout", "undo", "deployment/web", "-n", NS));
            ok(mo.mo("rollout", "status", "deployment/web", "-n", NS, "--timeout", "120s"));
            load.close();
            assertEquals(List.of(), load.failures);
        }
        assertTrue(deployment().at("/spec/template/spec/containers/0/image").asText().endsWith(":v2"));
    }

    @Test
    @Order(3)
    void scalingTwoToFiveToTwoUnderLoadFailsNoRequest() throws Exception {
        try (Load load = new Load(ingress, 50_000, Duration.ofSeconds(120)).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > 50);
            for (int replicas : new int[] {2, 5, 2}) {
                ok(mo.mo("scale", "deployment/web", "--replicas", Integer.toString(replicas), "-n", NS));
                ok(mo.mo("rollout", "status", "deployment/web", "-n", NS, "--timeout", "120s"));
                await().atMost(Duration.ofSeconds(60)).until(() -> deployment().at("/status/availableReplicas").asInt()
                        == replicas && deployment().at("/status/replicas").asInt() == replicas);
            }
            load.close();
            assertEquals(List.of(), load.failures);
        }
    }

    @Test
    @Order(4)
    void aConfigChangeRolledInWithRolloutRestartFailsNoRequest() throws Exception {
        Path file = app.manifests;
        // The same manifests as the Deployment stands now (v2, 2 replicas), with a new greeting.
        Files.writeString(file, MANIFESTS.replace("GREETING: hello-one", "GREETING: hello-two")
                .replace("replicas: 3", "replicas: 2").replace("hello:v1", "hello:v2"));
        try (Load load = new Load(ingress, 50_000, Duration.ofSeconds(120)).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > 50);
            MoProcess.Result apply = ok(mo.mo("apply", "-f", file.toString()));
            assertTrue(apply.out().contains("configmap/settings configured"), apply.out());
            assertTrue(Load.get(ingress).body().contains("hello-one"), "a running pod keeps the value it started with");
            assertEquals("deployment.apps/web restarted", ok(mo.mo("rollout", "restart", "deployment/web", "-n", NS)).out().strip());
            ok(mo.mo("rollout", "status", "deployment/web", "-n", NS, "--timeout", "120s"));
            await().atMost(Duration.ofSeconds(10)).until(() -> Load.get(ingress).body().contains("hello-two"));
            load.close();
            assertEquals(List.of(), load.failures);
        }
    }
}

package dev.mo.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Seed scenario 2 ("a traffic spike") with the HorizontalPodAutoscaler, on a real Docker
 * engine: CPU load in the pod → more replicas, up to max; load gone → back down after the
 * (short, test-set) scale-down stabilisation window.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoscaleIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = "e2e-hpa";
    static final String MANIFESTS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: %1$s}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: busy, namespace: %1$s}
            spec:
              replicas: 1
              selector: {matchLabels: {app: busy}}
              template:
                metadata: {labels: {app: busy}}
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                    - name: web
                      image: mo-example/hello:v1
                      resources: {requests: {cpu: 100m}}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: busy, namespace: %1$s}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: busy}
              minReplicas: 1
              maxReplicas: 3
              metrics:
                - type: Resource
                  resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
              behavior:
                scaleDown: {stabilizationWindowSeconds: 5}
            """.formatted(NS);

    AppOnMo app;
    MoProcess mo;

    @BeforeAll
    void start() throws Exception {
        app = AppOnMo.start("e2e-hpa", NS, MANIFESTS, false);
        mo = app.mo;
        assertEquals(0, mo.mo("rollout", "status", "deployment/busy", "-n", NS, "--timeout", "60s").exitCode());
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) app.close();
    }

    int desiredReplicas() throws Exception {
        JsonNode d = JSON.readTree(mo.mo("get", "deployment", "busy", "-n", NS, "-o", "json").out());
        return d.at("/spec/replicas").asInt();
    }

    @Test
    void cpuLoadScalesUpToMaxAndBackDownWhenItIsGone() throws Exception {
        String container = Docker.run("ps", "-q", "--filter", "label=mo.namespace=" + NS).strip();
        // One busy loop: about 1000m against a 100m request, far above the 50% target.
        Docker.run("exec", "-d", container, "sh", "-c", "echo $$ > /www/busy.pid; while :; do :; done");
        await().atMost(Duration.ofSeconds(90)).until(() -> desiredReplicas() == 3);
        MoProcess.Result hpa = mo.mo("get", "hpa", "busy", "-n", NS);
        assertTrue(hpa.out().lines().skip(1).findFirst().orElse("")
                .matches("busy\\s+Deployment/busy\\s+cpu: \\d+%/50%\\s+1\\s+3\\s+\\d\\s+\\S+"), hpa.out());
        MoProcess.Result events = mo.mo("get", "events", "-n", NS);
        assertTrue(events.out().contains("SuccessfulRescale"), events.out());

        Docker.run("exec", container, "sh", "-c", "kill $(cat /www/busy.pid)");
        await().atMost(Duration.ofSeconds(120)).until(() -> desiredReplicas() == 1);
    }
}

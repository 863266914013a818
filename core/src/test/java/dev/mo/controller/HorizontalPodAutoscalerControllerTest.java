package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.PodMetrics;
import dev.mo.controlplane.ObjectService;
import dev.mo.controlplane.TestClock;
import dev.mo.metrics.MetricsRegistry;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.store.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The HPA controller in memory: pods made by hand, metrics injected, a test clock. */
class HorizontalPodAutoscalerControllerTest {
    TestClock clock;
    ObjectService objects;
    MetricsRegistry metrics;
    HorizontalPodAutoscalerController hpa;

    @BeforeEach
    void setUp() {
        clock = new TestClock();
        objects = new ObjectService(Store.inMemory(), clock);
        objects.create(Json.parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"default\"}}"), true);
        metrics = new MetricsRegistry(clock);
        hpa = new HorizontalPodAutoscalerController(objects, metrics);
    }

    void deployment(int replicas, String request) {
        String resources = request == null ? "" : ",\"resources\":{\"requests\":{\"cpu\":\"" + request + "\"}}";
        objects.apply(List.of(Json.parse("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"web"}},
                  "template":{"metadata":{"labels":{"app":"web"}},
                   "spec":{"containers":[{"name":"web","image":"nginx"%s}]}}}}""".formatted(replicas, resources))), false);
    }

    /** Pods web-0.. with the deployment's template, Ready, and the given cpu usage reported for them. */
    void pods(String request, long... usage) {
        List<PodMetrics> reported = new ArrayList<>();
        for (int i = 0; i < usage.length; i++) {
            String resources = request == null ? "" : ",\"resources\":{\"requests\":{\"cpu\":\"" + request + "\"}}";
            ObjectNode pod = Json.parse("""
                    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-%d","namespace":"default","labels":{"app":"web"}},
                     "spec":{"nodeName":"n1","containers":[{"name":"web","image":"nginx"%s}]},
                     "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""".formatted(i, resources));
            if (objects.get(Kind.POD, "default", "web-" + i).isEmpty()) {
                objects.create(pod, true);
                objects.update(new dev.mo.store.ObjectKey(Kind.POD, "default", "web-" + i), p -> {
                    p.set("status", pod.get("status"));
                    return p;
                }, true);
            }
            reported.add(new PodMetrics("default", "web-" + i, clock.instant(), 5000,
                    List.of(new PodMetrics.Container("web", usage[i], 12 * 1024 * 1024))));
        }
        metrics.report("n1", reported);
    }

    void autoscaler(String apiVersion, String spec) {
        objects.apply(List.of(Json.parse("""
                {"apiVersion":"%s","kind":"HorizontalPodAutoscaler","metadata":{"name":"web","namespace":"default"},
                 "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},%s}}"""
                .formatted(apiVersion, spec))), false);
    }

    int replicas() { return Json.integer(objects.require(Kind.DEPLOYMENT, "default", "web"), "spec.replicas", -1); }

    ObjectNode status() { return (ObjectNode) objects.require(Kind.HORIZONTAL_POD_AUTOSCALER, "default", "web").get("status"); }

    String condition(String type) {
        for (JsonNode c : status().path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c.path("status").asText() + " " + c.path("reason").asText() + ": " + c.path("message").asText();
            }
        }
        return null;
    }

    List<String> events() {
        return objects.events().eventsFor(objects.require(Kind.HORIZONTAL_POD_AUTOSCALER, "default", "web")).stream()
                .map(e -> e.path("type").asText() + " " + e.path("reason").asText() + " " + e.path("message").asText()).toList();
    }

    static final String V2 = """
            "minReplicas":1,"maxReplicas":10,
            "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}],
            "behavior":{"scaleDown":{"stabilizationWindowSeconds":60}}""";

    @Test
    void scalesUpOnCpuAndWritesV2Status() {
        deployment(2, "200m");
        pods("200m", 180, 220);
        autoscaler("autoscaling/v2", V2);
        hpa.reconcile();

        assertEquals(4, replicas());
        ObjectNode s = status();
        assertEquals(4, s.path("desiredReplicas").asInt());
        assertEquals(100, s.at("/currentMetrics/0/resource/current/averageUtilization").asInt());
        assertEquals("200m", s.at("/currentMetrics/0/resource/current/averageValue").asText());
        assertEquals("2026-01-01T12:00:00Z", s.path("lastScaleTime").asText());
        assertEquals("True SucceededRescale: the HPA controller was able to update the target scale to 4", condition("AbleToScale"));
        assertTrue(condition("ScalingActive").startsWith("True ValidMetricFound"), condition("ScalingActive"));
        assertEquals("False DesiredWithinRange: the desired count is within the acceptable range", condition("ScalingLimited"));
        assertEquals(List.of("Normal SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target"),
                events());
    }

    @Test
    void v1DefaultsTo80PercentAndClampsToMax() {
        deployment(2, "100m");
        pods("100m", 400, 400);
        autoscaler("autoscaling/v1", "\"maxReplicas\":3");
        hpa.reconcile();
        assertEquals(3, replicas());
        assertEquals(400, status().path("currentCPUUtilizationPercentage").asInt());
        assertEquals("True TooManyReplicas: the desired replica count is more than the maximum replica count",
                condition("ScalingLimited"));
    }

    @Test
    void withinToleranceNothingChanges() {
        deployment(2, "200m");
        pods("200m", 100, 105);
        autoscaler("autoscaling/v2", V2);
        hpa.reconcile();
        assertEquals(2, replicas());
        assertEquals("True ReadyForNewScale: recommended size matches current size", condition("AbleToScale"));
        assertEquals(List.of(), events());
    }

    @Test
    void scaleDownWaitsForTheStabilisationWindow() {
        deployment(4, "200m");
        pods("200m", 200, 200, 200, 200); // 100% of 50% -> 8
        autoscaler("autoscaling/v2", V2.replace("\"maxReplicas\":10", "\"maxReplicas\":4"));
        hpa.reconcile();
        assertEquals(4, replicas());

        clock.advance(Duration.ofSeconds(30));
        pods("200m", 20, 20, 20, 20); // 10% -> 1, but 4 was recommended 30 s ago (clamped, the raw was 8)
        hpa.reconcile();
        assertEquals(4, replicas());
        assertTrue(condition("AbleToScale").startsWith("True ScaleDownStabilized"), condition("AbleToScale"));

        clock.advance(Duration.ofSeconds(31));
        pods("200m", 20, 20, 20, 20);
        hpa.reconcile();
        assertEquals(1, replicas());
        assertTrue(events().contains("Normal SuccessfulRescale New size: 1; reason: All metrics below target"), events().toString());
    }

    @Test
    void aPodWithoutCpuRequestStopsScaling() {
        deployment(2, null);
        pods(null, 300, 300);
        autoscaler("autoscaling/v2", V2);
        hpa.reconcile();
        hpa.reconcile();
        assertEquals(2, replicas());
        assertEquals("False FailedGetResourceMetric: the HPA was unable to compute the replica count: failed to get cpu "
                + "utilization: missing request for cpu in container web of Pod web-0", condition("ScalingActive"));
        assertEquals(List.of("Warning FailedGetResourceMetric missing request for cpu in container web of Pod web-0"), events());
    }

    @Test
    void replicasBelowMinAreRaisedWithoutMetrics() {
        deployment(1, "200m");
        autoscaler("autoscaling/v2", V2.replace("\"minReplicas\":1", "\"minReplicas\":3"));
        hpa.reconcile();
        assertEquals(3, replicas());
        assertEquals(List.of("Normal SuccessfulRescale New size: 3; reason: Current number of replicas below Spec.MinReplicas"),
                events());
    }

    @Test
    void missingTargetIsReported() {
        autoscaler("autoscaling/v2", V2);
        hpa.reconcile();
        assertEquals("False FailedGetScale: the HPA controller was unable to get the target's current scale: "
                + "deployments.apps \"web\" not found", condition("AbleToScale"));
    }
}

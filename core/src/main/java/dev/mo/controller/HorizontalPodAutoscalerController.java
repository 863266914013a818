package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.PodMetrics;
import dev.mo.controlplane.ObjectService;
import dev.mo.manifest.Quantity;
import dev.mo.metrics.MetricsRegistry;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.model.Times;
import dev.mo.store.ObjectKey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HorizontalPodAutoscaler → the target's {@code spec.replicas}, on CPU utilization
 * (autoscaling/v2 {@code metrics[].resource.name: cpu} with a Utilization target, or
 * autoscaling/v1 {@code targetCPUUtilizationPercentage}, 80 when unset). Each pass: read the
 * target's pods and their latest metrics, compute the replica count with
 * {@link ReplicaCalculator}, stabilise scale-downs over {@code behavior.scaleDown.stabilizationWindowSeconds}
 * (default 300), clamp to min/max, write the target and the HPA's status, conditions and events.
 */
public final class HorizontalPodAutoscalerController implements Controller {
    static final int DEFAULT_CPU_UTILIZATION = 80;
    static final int DEFAULT_SCALE_DOWN_WINDOW_SECONDS = 300;
    private static final String COMPONENT = "horizontal-pod-autoscaler";

    private final ObjectService objects;
    private final MetricsRegistry metrics;
    /** Recent recommendations per HPA uid (Kubernetes keeps them in memory too). */
    private final Map<String, Deque<ReplicaCalculator.Recommendation>> recommendations = new ConcurrentHashMap<>();

    private final FailedSyncs failedSyncs;

    public HorizontalPodAutoscalerController(ObjectService objects, MetricsRegistry metrics) {
        this.objects = objects;
        this.metrics = metrics;
        this.failedSyncs = new FailedSyncs(objects, COMPONENT);
    }

    @Override
    public String name() { return "horizontalpodautoscaler"; }

    @Override
    public void reconcile() {
        List<ObjectNode> hpas = objects.store().list(Kind.HORIZONTAL_POD_AUTOSCALER, null);
        recommendations.keySet().retainAll(hpas.stream().map(Meta::uid).toList());
        failedSyncs.syncEach(hpas, hpa -> {
            if (!Meta.deleting(hpa)) reconcile(hpa);
        });
    }

    private void reconcile(ObjectNode hpa) {
        boolean v1 = "autoscaling/v1".equals(Json.text(hpa, "apiVersion"));
        String ns = Meta.namespace(hpa);
        String targetKind = Json.text(hpa, "spec.scaleTargetRef.kind");
        String targetName = Json.text(hpa, "spec.scaleTargetRef.name");
        Kind kind = "Deployment".equals(targetKind) ? Kind.DEPLOYMENT : "StatefulSet".equals(targetKind) ? Kind.STATEFUL_SET : null;
        Optional<ObjectNode> target = kind == null ? Optional.empty() : objects.store().get(kind, ns, targetName);
        if (target.isEmpty()) {
            String why = kind == null ? "the HPA controller does not support scaling " + targetKind
                    : "the HPA controller was unable to get the target's current scale: " + kind.pluralWithGroup() + " \"" + targetName + "\" not found";
            writeStatus(hpa, v1, s -> Conditions.set(s, "AbleToScale", "False", "FailedGetScale", why, objects.clock()),
                    "FailedGetScale", why);
            return;
        }
        ObjectNode scaled = target.get();
        int specReplicas = Json.integer(scaled, "spec.replicas", 1);
        int statusReplicas = Json.integer(scaled, "status.replicas", 0);
        int min = Json.integer(hpa, "spec.minReplicas", 1);
        int max = Json.integer(hpa, "spec.maxReplicas", 1);
        Integer targetUtilization = targetUtilization(hpa, v1);
        Instant now = objects.clock().instant();

        if (specReplicas == 0) {
            writeStatus(hpa, v1, s -> {
                s.put("currentReplicas", statusReplicas);
                s.put("desiredReplicas", 0);
                Conditions.set(s, "AbleToScale", "True", "SucceededGetScale",
                        "the HPA controller was able to get the target's current scale", objects.clock());
                Conditions.set(s, "ScalingActive", "False", "ScalingDisabled",
                        "scaling is disabled since the replica count of the target is zero", objects.clock());
            }, null, null);
            return;
        }
        if (targetUtilization == null) {
            String why = "the HPA controller acts on cpu Utilization targets only";
            writeStatus(hpa, v1, s -> Conditions.set(s, "ScalingActive", "False", "InvalidMetricSourceType", why,
                    objects.clock()), "InvalidMetricSourceType", why);
            return;
        }

        int desired;
        String rescaleReason;
        ReplicaCalculator.Result computed = null;
        ReplicaCalculator.Limited limited = null;
        boolean stabilized = false;
        if (specReplicas > max) {
            desired = max;
            rescaleReason = "Current number of replicas above Spec.MaxReplicas";
        } else if (specReplicas < min) {
            desired = min;
            rescaleReason = "Current number of replicas below Spec.MinReplicas";
        } else {
            LabelSelector selector = LabelSelector.fromJson(Json.at(scaled, "spec.selector"));
            List<ObjectNode> pods = objects.store().list(Kind.POD, ns, p -> selector.matches(Meta.labels(p)));
            computed = ReplicaCalculator.cpuReplicas(specReplicas, targetUtilization, samples(pods));
            if (computed.error() != null) {
                String why = "the HPA was unable to compute the replica count: failed to get cpu utilization: " + computed.error();
                ReplicaCalculator.Result failed = computed;
                writeStatus(hpa, v1, s -> {
                    s.put("currentReplicas", statusReplicas);
                    s.put("desiredReplicas", specReplicas);
                    Conditions.set(s, "AbleToScale", "True", "SucceededGetScale",
                            "the HPA controller was able to get the target's current scale", objects.clock());
                    Conditions.set(s, "ScalingActive", "False", "FailedGetResourceMetric", why, objects.clock());
                }, "FailedGetResourceMetric", failed.error());
                return;
            }
            Duration window = Duration.ofSeconds(Json.integer(hpa, "spec.behavior.scaleDown.stabilizationWindowSeconds",
                    DEFAULT_SCALE_DOWN_WINDOW_SECONDS));
            int stable = ReplicaCalculator.stabilize(
                    recommendations.computeIfAbsent(Meta.uid(hpa), k -> new ArrayDeque<>()), now, computed.replicas(), window);
            stabilized = stable != computed.replicas();
            limited = ReplicaCalculator.clamp(specReplicas, stable, min, max);
            desired = limited.replicas();
            rescaleReason = desired > specReplicas
                    ? "cpu resource utilization (percentage of request) above target" : "All metrics below target";
        }

        boolean rescale = desired != specReplicas;
        if (rescale) {
            int newSize = desired;
            objects.update(ObjectKey.of(scaled), o -> {
                ((ObjectNode) o.get("spec")).put("replicas", newSize);
                ObjectNode meta = (ObjectNode) o.get("metadata");
                meta.put("generation", Json.integer(o, "metadata.generation", 1) + 1);
                return o;
            }, true);
            objects.events().normal(hpa, "SuccessfulRescale", "New size: " + desired + "; reason: " + rescaleReason, COMPONENT);
        }
        ReplicaCalculator.Result metric = computed;
        ReplicaCalculator.Limited limit = limited;
        boolean wasStabilized = stabilized;
        int finalDesired = desired;
        writeStatus(hpa, v1, s -> {
            s.put("currentReplicas", statusReplicas);
            s.put("desiredReplicas", finalDesired);
            if (rescale) s.put("lastScaleTime", Times.format(now));
            if (metric != null) {
                if (v1) {
                    s.put("currentCPUUtilizationPercentage", metric.utilization());
                } else {
                    ObjectNode m = s.putArray("currentMetrics").addObject();
                    m.put("type", "Resource");
                    ObjectNode current = m.putObject("resource").put("name", "cpu").putObject("current");
                    current.put("averageUtilization", metric.utilization());
                    current.put("averageValue", MetricsRegistry.cpuText(metric.averageUsageMillis()));
                }
            }
            if (rescale) {
                Conditions.set(s, "AbleToScale", "True", "SucceededRescale",
                        "the HPA controller was able to update the target scale to " + finalDesired, objects.clock());
            } else if (wasStabilized) {
                Conditions.set(s, "AbleToScale", "True", "ScaleDownStabilized",
                        "recent recommendations were higher than current one, applying the highest recent recommendation",
                        objects.clock());
            } else {
                Conditions.set(s, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size",
                        objects.clock());
            }
            if (metric != null) {
                Conditions.set(s, "ScalingActive", "True", "ValidMetricFound",
                        "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
                        objects.clock());
            }
            if (limit != null) {
                Conditions.set(s, "ScalingLimited", limit.limited() ? "True" : "False", limit.reason(), limit.message(),
                        objects.clock());
            } else {
                boolean above = finalDesired == max;
                Conditions.set(s, "ScalingLimited", "True", above ? "TooManyReplicas" : "TooFewReplicas",
                        above ? "the desired replica count is more than the maximum replica count"
                                : "the desired replica count is less than the minimum replica count", objects.clock());
            }
        }, null, null);
    }

    /** The cpu Utilization target, or null when the HPA asks for something else (only cpu is supported). */
    static Integer targetUtilization(ObjectNode hpa, boolean v1) {
        if (v1) return Json.integer(hpa, "spec.targetCPUUtilizationPercentage", DEFAULT_CPU_UTILIZATION);
        JsonNode metricsSpec = Json.at(hpa, "spec.metrics");
        if (!metricsSpec.isArray() || metricsSpec.isEmpty()) return DEFAULT_CPU_UTILIZATION;
        for (JsonNode m : metricsSpec) {
            if ("Resource".equals(m.path("type").asText()) && "cpu".equals(m.at("/resource/name").asText())
                    && "Utilization".equals(m.at("/resource/target/type").asText())) {
                return m.at("/resource/target/averageUtilization").asInt(DEFAULT_CPU_UTILIZATION);
            }
        }
        return null;
    }

    /** The calculator's view of each pod: readiness, requests and the latest metric. */
    List<ReplicaCalculator.PodSample> samples(List<ObjectNode> pods) {
        List<ReplicaCalculator.PodSample> out = new ArrayList<>();
        for (ObjectNode pod : pods) {
            boolean ignored = Meta.deleting(pod) || "Failed".equals(Json.text(pod, "status.phase"));
            Long request = 0L;
            String missingIn = null;
            for (JsonNode c : Json.at(pod, "spec.containers")) {
                String cpu = c.at("/resources/requests/cpu").isValueNode() ? c.at("/resources/requests/cpu").asText() : null;
                if (cpu == null) {
                    request = null;
                    missingIn = c.path("name").asText();
                    break;
                }
                request += Quantity.parseMillis(cpu);
            }
            Long usage = metrics.pod(Meta.namespace(pod), Meta.name(pod)).map(PodMetrics::cpuMillis).orElse(null);
            out.add(new ReplicaCalculator.PodSample(Meta.name(pod), Pods.isReady(pod), ignored, request, missingIn, usage));
        }
        return out;
    }

    /** Writes the HPA's status (when it changed) and, on failure, a Warning event. */
    private void writeStatus(ObjectNode hpa, boolean v1, java.util.function.Consumer<ObjectNode> change,
                             String warningReason, String warningMessage) {
        objects.update(ObjectKey.of(hpa), o -> {
            ObjectNode s = Json.objectAt(o, "status");
            change.accept(s);
            return o;
        }, false);
        if (warningReason != null) {
            String last = recentWarning.put(Meta.uid(hpa), warningReason + warningMessage);
            if (!(warningReason + warningMessage).equals(last)) {
                objects.events().warning(hpa, warningReason, warningMessage, COMPONENT);
            }
        } else {
            recentWarning.remove(Meta.uid(hpa));
        }
    }

    /** The last warning per HPA, so a persisting failure is one event, not one per pass. */
    private final Map<String, String> recentWarning = new ConcurrentHashMap<>();
}

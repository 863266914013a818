package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Fills in the defaults the Kubernetes API server sets on create and update (k8s.io/kubernetes
 * pkg/apis/.../v1/defaults.go), so stored objects look like what {@code kubectl get -o yaml} shows.
 * Only unset (absent or null) fields are filled, so applying twice changes nothing. Values of the
 * wrong type are left alone: validation reports them.
 * The namespace of namespaced objects is not defaulted here; the API server decides it.
 */
public final class Defaults {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> PROBES = List.of("livenessProbe", "readinessProbe", "startupProbe");

    private Defaults() {}

    public static void apply(ObjectNode object) {
        if (object == null) return;
        String kind = Json.text(object, "kind");
        if (kind == null) return;
        switch (kind) {
            case "Deployment" -> deployment(object);
            case "StatefulSet" -> statefulSet(object);
            case "Job" -> job(object);
            case "Pod" -> podSpec(child(object, "spec"));
            case "Service" -> service(child(object, "spec"));
            case "Secret" -> secret(object);
            case "PersistentVolumeClaim" -> set(child(object, "spec"), "volumeMode", "Filesystem");
            case "HorizontalPodAutoscaler" -> autoscaler(object);
            case "NetworkPolicy" -> networkPolicy(child(object, "spec"));
            default -> { }
        }
    }

    private static void deployment(ObjectNode object) {
        ObjectNode spec = child(object, "spec");
        if (spec == null) return;
        set(spec, "replicas", 1);
        ObjectNode strategy = child(spec, "strategy");
        if (strategy != null) {
            set(strategy, "type", "RollingUpdate");
            if ("RollingUpdate".equals(Json.text(strategy, "type"))) {
                ObjectNode rolling = child(strategy, "rollingUpdate");
                set(rolling, "maxUnavailable", "25%");
                set(rolling, "maxSurge", "25%");
            }
        }
        set(spec, "revisionHistoryLimit", 10);
        set(spec, "progressDeadlineSeconds", 600);
        podSpec(child(child(spec, "template"), "spec"));
    }

    /**
     * As pkg/apis/batch/v1/defaults.go: with neither completions nor parallelism set, both are 1
     * (one pod that must succeed once); parallelism alone leaves completions unset, which makes a
     * work queue (done when any pod has succeeded and none is left running).
     */
    private static void job(ObjectNode object) {
        ObjectNode spec = child(object, "spec");
        if (spec == null) return;
        if (unset(spec, "completions") && unset(spec, "parallelism")) set(spec, "completions", 1);
        set(spec, "parallelism", 1);
        set(spec, "backoffLimit", 6);
        set(spec, "completionMode", "NonIndexed");
        if (unset(spec, "suspend")) spec.put("suspend", false);
        podSpec(child(child(spec, "template"), "spec"));
    }

    private static void statefulSet(ObjectNode object) {
        ObjectNode spec = child(object, "spec");
        if (spec == null) return;
        set(spec, "replicas", 1);
        set(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = child(spec, "updateStrategy");
        if (strategy != null) {
            set(strategy, "type", "RollingUpdate");
            if ("RollingUpdate".equals(Json.text(strategy, "type"))) set(child(strategy, "rollingUpdate"), "partition", 0);
        }
        set(spec, "revisionHistoryLimit", 10);
        ObjectNode retention = child(spec, "persistentVolumeClaimRetentionPolicy");
        set(retention, "whenDeleted", "Retain");
        set(retention, "whenScaled", "Retain");
        for (ObjectNode claim : objects(spec, "volumeClaimTemplates")) {
            set(child(claim, "spec"), "volumeMode", "Filesystem");
        }
        podSpec(child(child(spec, "template"), "spec"));
    }

    private static void podSpec(ObjectNode spec) {
        if (spec == null) return;
        set(spec, "restartPolicy", "Always");
        set(spec, "terminationGracePeriodSeconds", 30);
        set(spec, "dnsPolicy", "ClusterFirst");
        set(spec, "schedulerName", "default-scheduler");
        child(spec, "securityContext");
        for (ObjectNode container : objects(spec, "initContainers")) container(container);
        for (ObjectNode container : objects(spec, "containers")) container(container);
        for (ObjectNode volume : objects(spec, "volumes")) volume(volume);
    }

    private static void container(ObjectNode c) {
        String image = Json.text(c, "image");
        if (image != null && c.path("image").isTextual()) set(c, "imagePullPolicy", pullPolicy(image));
        set(c, "terminationMessagePath", "/dev/termination-log");
        set(c, "terminationMessagePolicy", "File");
        for (ObjectNode port : objects(c, "ports")) set(port, "protocol", "TCP");
        requestsFromLimits(c.get("resources") instanceof ObjectNode r ? r : null);
        for (ObjectNode env : objects(c, "env")) {
            JsonNode fieldRef = env.path("valueFrom").path("fieldRef");
            if (fieldRef instanceof ObjectNode f) set(f, "apiVersion", "v1");
        }
        for (String name : PROBES) {
            if (!(c.get(name) instanceof ObjectNode probe)) continue;
            set(probe, "timeoutSeconds", 1);
            set(probe, "periodSeconds", 10);
            set(probe, "successThreshold", 1);
            set(probe, "failureThreshold", 3);
            httpGet(probe);
        }
        if (c.get("lifecycle") instanceof ObjectNode lifecycle) {
            for (String hook : List.of("postStart", "preStop")) {
                if (lifecycle.get(hook) instanceof ObjectNode handler) httpGet(handler);
            }
        }
    }

    /** A resource with a limit and no request requests its limit (Kubernetes: a limit alone means a guarantee). */
    private static void requestsFromLimits(ObjectNode resources) {
        if (resources == null || !(resources.get("limits") instanceof ObjectNode limits) || limits.isEmpty()) return;
        ObjectNode requests = child(resources, "requests");
        if (requests == null) return;
        limits.fields().forEachRemaining(limit -> {
            if (unset(requests, limit.getKey())) requests.set(limit.getKey(), limit.getValue().deepCopy());
        });
    }

    private static void httpGet(ObjectNode handler) {
        if (handler.get("httpGet") instanceof ObjectNode http) {
            set(http, "path", "/");
            set(http, "scheme", "HTTP");
        }
    }

    /** Kubernetes pulls {@code latest} (or an untagged image, which means latest) every time, other tags once. */
    static String pullPolicy(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        String lastPart = withoutDigest.substring(withoutDigest.lastIndexOf('/') + 1);
        int colon = lastPart.lastIndexOf(':');
        String tag = colon < 0 ? "" : lastPart.substring(colon + 1);
        if (tag.isEmpty() && image.contains("@")) return "IfNotPresent"; // pinned by digest
        return tag.isEmpty() || tag.equals("latest") ? "Always" : "IfNotPresent";
    }

    /** A volume without a source is an emptyDir; projected files get mode 0644. */
    private static void volume(ObjectNode volume) {
        boolean hasSource = false;
        for (var it = volume.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("name") && !volume.get(f).isNull()) hasSource = true;
        }
        if (!hasSource) volume.putObject("emptyDir");
        for (String source : List.of("secret", "configMap", "downwardAPI", "projected")) {
            if (volume.get(source) instanceof ObjectNode s) set(s, "defaultMode", 0644);
        }
    }

    private static void service(ObjectNode spec) {
        if (spec == null) return;
        set(spec, "type", "ClusterIP");
        set(spec, "sessionAffinity", "None");
        if ("ClientIP".equals(Json.text(spec, "sessionAffinity"))) {
            set(child(child(spec, "sessionAffinityConfig"), "clientIP"), "timeoutSeconds", 10_800);
        }
        String type = Json.text(spec, "type");
        if (!"ExternalName".equals(type)) set(spec, "internalTrafficPolicy", "Cluster");
        if ("NodePort".equals(type) || "LoadBalancer".equals(type)) set(spec, "externalTrafficPolicy", "Cluster");
        for (ObjectNode port : objects(spec, "ports")) {
            set(port, "protocol", "TCP");
            if (unset(port, "targetPort") && port.path("port").isIntegralNumber()) port.set("targetPort", port.get("port"));
        }
    }

    /** As the API server does: {@code stringData} is written into {@code data} (base64) and dropped. */
    private static void secret(ObjectNode object) {
        set(object, "type", "Opaque");
        if (!(object.get("stringData") instanceof ObjectNode stringData)) return;
        ObjectNode data = child(object, "data");
        if (data == null) return;
        stringData.fields().forEachRemaining(e -> data.put(e.getKey(),
                Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
        object.remove("stringData");
    }

    /** autoscaling/v2 also defaults an empty metric list to 80% average CPU utilisation. */
    private static void autoscaler(ObjectNode object) {
        ObjectNode spec = child(object, "spec");
        if (spec == null) return;
        set(spec, "minReplicas", 1);
        JsonNode metrics = spec.get("metrics");
        boolean noMetrics = metrics == null || metrics.isNull() || (metrics.isArray() && metrics.isEmpty());
        if ("autoscaling/v2".equals(Json.text(object, "apiVersion")) && noMetrics) {
            ObjectNode metric = NODES.objectNode().put("type", "Resource");
            metric.putObject("resource").put("name", "cpu").putObject("target")
                    .put("type", "Utilization").put("averageUtilization", 80);
            spec.putArray("metrics").add(metric);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The API server's: Ingress always, Egress when there are egress rules. */
    private static void networkPolicy(ObjectNode spec) {
        if (spec == null) return;
        if (!unset(spec, "policyTypes") && !spec.get("policyTypes").isEmpty()) return;
        var types = spec.putArray("policyTypes").add("Ingress");
        if (!objects(spec, "egress").isEmpty()) types.add("Egress");
    }

    private static boolean unset(ObjectNode o, String field) { return !o.has(field) || o.get(field).isNull(); }

    private static void set(ObjectNode o, String field, String value) {
        if (o != null && unset(o, field)) o.put(field, value);
    }

    private static void set(ObjectNode o, String field, int value) {
        if (o != null && unset(o, field)) o.put(field, value);
    }

    /** The object at a field, created when unset; null when the field holds something else (left for validation). */
    private static ObjectNode child(ObjectNode parent, String field) {
        if (parent == null) return null;
        if (unset(parent, field)) return parent.putObject(field);
        return parent.get(field) instanceof ObjectNode o ? o : null;
    }

    /** The object elements of a list field (others are skipped). */
    private static List<ObjectNode> objects(ObjectNode parent, String field) {
        JsonNode list = parent.get(field);
        if (list == null || !list.isArray()) return List.of();
        List<ObjectNode> out = new ArrayList<>();
        list.forEach(n -> { if (n instanceof ObjectNode o) out.add(o); });
        return out;
    }
}

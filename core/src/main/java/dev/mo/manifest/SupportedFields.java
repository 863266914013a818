package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.model.Kind;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * THE list of fields mo acts on today. Any other valid field is accepted and stored, but the user
 * gets a warning, so nobody believes a probe or a resource limit is enforced when it is not.
 *
 * <p>To support a field, add its path here: dots between fields, {@code []} for "every element of
 * a list". A path covers everything under it ({@code metadata.labels} covers every label). To act
 * on a kind that is only stored, remove it from {@link #STORED_ONLY} and give it a field list.
 */
public final class SupportedFields {

    /** Kinds mo stores and does not act on, with why: one warning per document instead of one per field. */
    public static final Map<Kind, String> STORED_ONLY = Map.of(
            Kind.NETWORK_POLICY, "stored, not enforced: mo does not filter traffic between pods (as on a Kubernetes"
                    + " cluster whose network plugin has no policy support)",
            Kind.SERVICE_ACCOUNT, "stored; pods get no API token from it (mo's API serves the mo CLI, not workloads)");

    /** Fields of every kind: identity and metadata mo uses. {@code status} is ignored without a warning. */
    private static final List<String> COMMON = List.of(
            "apiVersion", "kind", "status",
            "metadata.name", "metadata.namespace", "metadata.labels", "metadata.annotations");

    /** Probe fields the agent's prober acts on ({@code grpc} is not: it warns, and the probe fails). */
    private static final List<String> PROBE = List.of("httpGet", "tcpSocket", "exec", "initialDelaySeconds",
            "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold", "terminationGracePeriodSeconds");

    /**
     * Container fields mo passes on to Docker, the probes the agent runs, and the lifecycle hooks it
     * runs after a start and before a stop ({@code tcpSocket} hooks are deprecated in Kubernetes and
     * ignored: they warn).
     */
    private static final List<String> CONTAINER = withProbes(List.of(
            "name", "image", "imagePullPolicy", "command", "args", "env", "envFrom", "workingDir", "ports",
            "lifecycle.preStop.exec", "lifecycle.preStop.httpGet", "lifecycle.preStop.sleep",
            "lifecycle.postStart.exec", "lifecycle.postStart.httpGet", "lifecycle.postStart.sleep",
            "resources.requests.cpu", // the scheduler's fit; the HorizontalPodAutoscaler divides usage by it; the agent: CpuShares
            "resources.requests.memory", // the scheduler's fit
            "resources.limits.cpu", "resources.limits.memory", // the agent: CFS quota, memory limit without swap
            "volumeMounts[].name", "volumeMounts[].mountPath", "volumeMounts[].subPath", "volumeMounts[].readOnly"));

    /** Pod spec fields mo acts on, relative to the pod spec (volumes: the agent's PodVolumes). */
    private static final List<String> POD_SPEC = withContainers("", concat(List.of("restartPolicy", "terminationGracePeriodSeconds",
            "hostname", "subdomain", // the container's hostname; with a headless Service, a name per pod (PodAddresses)
            "volumes[].name", "volumes[].emptyDir",
            "volumes[].configMap.name", "volumes[].configMap.items", "volumes[].configMap.defaultMode", "volumes[].configMap.optional",
            "volumes[].secret.secretName", "volumes[].secret.items", "volumes[].secret.defaultMode", "volumes[].secret.optional",
            "volumes[].persistentVolumeClaim.claimName", "volumes[].persistentVolumeClaim.readOnly",
            // the scheduler (a pod with a nodeName is bound already); namespaceSelector, matchLabelKeys and
            // mismatchLabelKeys of pod affinity terms are not acted on; every field of a topology spread
            // constraint is (TopologySpreadRule)
            "nodeName", "nodeSelector", "tolerations", "affinity.nodeAffinity", "topologySpreadConstraints"),
            podAffinityFields()));

    private static final Map<Kind, Set<String>> ACTED_ON = new EnumMap<>(Kind.class);

    static {
        register(Kind.NAMESPACE);
        register(Kind.CONFIG_MAP, "data", "binaryData");
        register(Kind.SECRET, "data", "stringData", "type");
        register(Kind.DEPLOYMENT, prefixed("spec.", List.of("replicas", "selector",
                "template.metadata.labels", "template.metadata.annotations",
                // the rollout (DeploymentController, RollingUpdatePlanner)
                "strategy", "minReadySeconds", "progressDeadlineSeconds", "revisionHistoryLimit", "paused")));
        register(Kind.DEPLOYMENT, prefixed("spec.template.spec.", POD_SPEC));
        register(Kind.POD, prefixed("spec.", POD_SPEC));
        // StatefulSetController: ordered pods NAME-i from ordinals.start, claims per ordinal (deleted as the
        // retention policy says), RollingUpdate with a partition or OnDelete, minReadySeconds
        register(Kind.STATEFUL_SET, prefixed("spec.", List.of("replicas", "selector", "serviceName",
                "template.metadata.labels", "template.metadata.annotations", "podManagementPolicy",
                "updateStrategy.type", "updateStrategy.rollingUpdate.partition", "minReadySeconds", "ordinals.start",
                "persistentVolumeClaimRetentionPolicy.whenDeleted", "persistentVolumeClaimRetentionPolicy.whenScaled",
                "volumeClaimTemplates[].metadata.name", "volumeClaimTemplates[].metadata.labels",
                "volumeClaimTemplates[].metadata.annotations", "volumeClaimTemplates[].spec.accessModes",
                "volumeClaimTemplates[].spec.resources.requests.storage")));
        register(Kind.STATEFUL_SET, prefixed("spec.template.spec.", POD_SPEC));
        // JobController: pods until completions succeed, parallelism at a time, back-off after failures,
        // Indexed completion, suspend, deadlines and clean-up after it finished
        register(Kind.JOB, prefixed("spec.", List.of("parallelism", "completions", "backoffLimit", "activeDeadlineSeconds",
                "selector", "manualSelector", "template.metadata.labels", "template.metadata.annotations",
                "completionMode", "suspend", "ttlSecondsAfterFinished")));
        register(Kind.JOB, prefixed("spec.template.spec.", POD_SPEC));
        // PersistentVolumeClaimController: Bound at once, capacity = requests.storage (a local Docker volume)
        register(Kind.PERSISTENT_VOLUME_CLAIM, "spec.accessModes", "spec.resources.requests.storage");
        register(Kind.SERVICE, prefixed("spec.", List.of("type", "selector", "clusterIP", "clusterIPs",
                "ports[].name", "ports[].port", "ports[].targetPort", "ports[].nodePort", "ports[].protocol",
                "publishNotReadyAddresses", // headless Services: pods named (and served) before they are ready
                "sessionAffinity", "sessionAffinityConfig.clientIP.timeoutSeconds", // the node's TcpProxy
                "externalTrafficPolicy", "internalTrafficPolicy"))); // Local: this node's endpoints only
        register(Kind.INGRESS, prefixed("spec.", List.of("ingressClassName", "defaultBackend", "rules[].host",
                "rules[].http.paths[].path", "rules[].http.paths[].pathType", "rules[].http.paths[].backend.service")));
        // HorizontalPodAutoscalerController: cpu Utilization targets, scale-down stabilisation
        register(Kind.HORIZONTAL_POD_AUTOSCALER, prefixed("spec.", List.of("scaleTargetRef.kind", "scaleTargetRef.name",
                "scaleTargetRef.apiVersion", "minReplicas", "maxReplicas", "targetCPUUtilizationPercentage",
                "metrics[].type", "metrics[].resource.name", "metrics[].resource.target.type",
                "metrics[].resource.target.averageUtilization", "behavior.scaleDown.stabilizationWindowSeconds")));
    }

    private SupportedFields() {}

    /** Whether mo acts on this field of this kind; {@code path} uses {@code []} for list elements. */
    public static boolean actsOn(Kind kind, String path) {
        if (STORED_ONLY.containsKey(kind)) return false;
        for (String supported : ACTED_ON.getOrDefault(kind, Set.of())) {
            if (path.equals(supported) || path.startsWith(supported + ".") || path.startsWith(supported + "[")) {
                return true;
            }
        }
        return false;
    }

    /** Adds the warnings for one (schema-valid) object. */
    static void warn(JsonNode object, Kind kind, Problems p) {
        if (STORED_ONLY.containsKey(kind)) {
            p.warning("", kind.kindName() + ": " + STORED_ONLY.get(kind));
            return;
        }
        walk(object, kind, "", "", new HashSet<>(), p);
    }

    /** Descends while the path leads towards supported fields; warns at the first unsupported one. */
    private static void walk(JsonNode node, Kind kind, String generic, String actual, Set<String> warned, Problems p) {
        if (node == null || !node.isObject()) return;
        node.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) return; // null means "not set"
            String genericPath = FieldLines.child(generic, field.getKey());
            String actualPath = FieldLines.child(actual, field.getKey());
            if (actsOn(kind, genericPath)) return;
            if (leadsToSupported(kind, genericPath)) {
                JsonNode value = field.getValue();
                if (value.isArray()) {
                    for (int i = 0; i < value.size(); i++) {
                        walk(value.get(i), kind, genericPath + "[]", FieldLines.item(actualPath, i), warned, p);
                    }
                } else {
                    walk(value, kind, genericPath, actualPath, warned, p);
                }
            } else if (warned.add(genericPath)) {
                p.warningAt(actualPath, genericPath, "accepted, but mo does not act on this field yet");
            }
        });
    }

    private static boolean leadsToSupported(Kind kind, String path) {
        for (String supported : ACTED_ON.getOrDefault(kind, Set.of())) {
            if (supported.startsWith(path + ".") || supported.startsWith(path + "[")) return true;
        }
        return false;
    }

    private static void register(Kind kind, String... paths) { register(kind, List.of(paths)); }

    private static void register(Kind kind, List<String> paths) {
        Set<String> set = ACTED_ON.computeIfAbsent(kind, k -> new HashSet<>(COMMON));
        set.addAll(paths);
    }

    private static List<String> prefixed(String prefix, List<String> paths) {
        return paths.stream().map(path -> prefix + path).toList();
    }

    private static List<String> withProbes(List<String> containerFields) {
        List<String> out = new ArrayList<>(containerFields);
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            out.addAll(prefixed(probe + ".", PROBE));
        }
        return out;
    }

    /** The fields of a pod (anti-)affinity term the scheduler reads, required and preferred. */
    private static List<String> podAffinityFields() {
        List<String> out = new ArrayList<>();
        for (String kind : List.of("podAffinity", "podAntiAffinity")) {
            String required = "affinity." + kind + ".requiredDuringSchedulingIgnoredDuringExecution[].";
            String preferred = "affinity." + kind + ".preferredDuringSchedulingIgnoredDuringExecution[].";
            for (String field : List.of("labelSelector", "namespaces", "topologyKey")) {
                out.add(required + field);
                out.add(preferred + "podAffinityTerm." + field);
            }
            out.add(preferred + "weight");
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<String> withContainers(String prefix, List<String> podFields) {
        List<String> out = new ArrayList<>(prefixed(prefix, podFields));
        out.addAll(prefixed(prefix + "containers[].", CONTAINER));
        return out;
    }
}

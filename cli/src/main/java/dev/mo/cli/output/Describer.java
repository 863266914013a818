package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.mo.cli.output.DescribeSections.*;
import static dev.mo.cli.output.Fields.*;

/**
 * {@code mo describe}: kubectl describe's layout for pods, deployments, replica sets, stateful sets,
 * services, ingresses, horizontal pod autoscalers, nodes, namespaces, config maps, secrets and
 * persistent volume claims, and kubectl's generic layout for every other kind.
 */
public final class Describer {
    private Describer() {}

    /**
     * Describes one object. {@code events} are the events about it (the caller filters by
     * involvedObject); null leaves the Events section out, as {@code --show-events=false}.
     */
    public static String describe(ObjectNode obj, List<ObjectNode> events, Clock clock) {
        return describe(obj, events, List.of(), clock);
    }

    /**
     * Like {@link #describe(ObjectNode, List, Clock)}, with objects the description refers to:
     * a deployment's replica sets (for OldReplicaSets / NewReplicaSet), a replica set's or stateful
     * set's pods (for Pods Status), a service's Endpoints, the Services and Endpoints an ingress names.
     */
    public static String describe(ObjectNode obj, List<ObjectNode> events, List<ObjectNode> related, Clock clock) {
        DescribeWriter w = new DescribeWriter();
        switch (str(obj, "kind")) {
            case "Pod" -> pod(w, obj, events, clock);
            case "Deployment" -> deployment(w, obj, events, related, clock);
            case "ReplicaSet" -> replicaSet(w, obj, events, related, clock);
            case "StatefulSet" -> statefulSet(w, obj, events, related, clock);
            case "Job" -> job(w, obj, events, clock);
            case "Service" -> service(w, obj, events, related, clock);
            case "Ingress" -> ingress(w, obj, events, related, clock);
            case "HorizontalPodAutoscaler" -> horizontalPodAutoscaler(w, obj, events, clock);
            case "Node" -> node(w, obj, events, related, clock);
            case "Namespace" -> namespace(w, obj);
            case "ConfigMap" -> configMap(w, obj, events, clock);
            case "Secret" -> secret(w, obj);
            case "PersistentVolumeClaim" -> claim(w, obj, events, related, clock);
            default -> generic(w, obj, events, clock);
        }
        return w.result();
    }

    private static void nameNamespaceLabelsAnnotations(DescribeWriter w, JsonNode obj) {
        w.field(0, "Name", str(obj, "metadata.name"));
        w.field(0, "Namespace", str(obj, "metadata.namespace"));
        labels(w, "Labels", Json.stringMap(obj, "metadata.labels"));
        annotations(w, "Annotations", Json.stringMap(obj, "metadata.annotations"));
    }

    private static void pod(DescribeWriter w, ObjectNode pod, List<ObjectNode> events, Clock clock) {
        w.field(0, "Name", str(pod, "metadata.name"));
        w.field(0, "Namespace", str(pod, "metadata.namespace"));
        if (has(pod, "spec.priority")) w.field(0, "Priority", num(pod, "spec.priority", 0));
        if (!str(pod, "spec.priorityClassName").isEmpty()) w.field(0, "Priority Class Name", str(pod, "spec.priorityClassName"));
        if (!str(pod, "spec.runtimeClassName").isEmpty()) w.field(0, "Runtime Class Name", str(pod, "spec.runtimeClassName"));
        if (!str(pod, "spec.serviceAccountName").isEmpty()) w.field(0, "Service Account", str(pod, "spec.serviceAccountName"));
        String nodeName = str(pod, "spec.nodeName");
        w.field(0, "Node", nodeName.isEmpty() ? "<none>" : nodeName + "/" + str(pod, "status.hostIP"));
        if (has(pod, "status.startTime")) w.field(0, "Start Time", rfc1123z(str(pod, "status.startTime"), clock));
        labels(w, "Labels", Json.stringMap(pod, "metadata.labels"));
        annotations(w, "Annotations", Json.stringMap(pod, "metadata.annotations"));
        String phase = str(pod, "status.phase");
        if (has(pod, "metadata.deletionTimestamp") && !phase.equals("Failed") && !phase.equals("Succeeded")) {
            w.field(0, "Status", "Terminating (lasts " + HumanDuration.since(str(pod, "metadata.deletionTimestamp"), clock) + ")");
            w.field(0, "Termination Grace Period", num(pod, "metadata.deletionGracePeriodSeconds", 30) + "s");
        } else {
            w.field(0, "Status", phase);
        }
        if (!str(pod, "status.reason").isEmpty()) w.field(0, "Reason", str(pod, "status.reason"));
        if (!str(pod, "status.message").isEmpty()) w.field(0, "Message", str(pod, "status.message"));
        w.field(0, "IP", str(pod, "status.podIP"));
        List<String> ips = new ArrayList<>();
        list(pod, "status.podIPs").forEach(ip -> ips.add(str(ip, "ip")));
        if (ips.isEmpty() && !str(pod, "status.podIP").isEmpty()) ips.add(str(pod, "status.podIP"));
        if (ips.isEmpty()) {
            w.field(0, "IPs", "<none>");
        } else {
            w.write(0, "IPs:\n");
            ips.forEach(ip -> w.field(1, "IP", ip));
        }
        if (!controlledBy(pod).isEmpty()) w.field(0, "Controlled By", controlledBy(pod));
        if (!str(pod, "status.nominatedNodeName").isEmpty()) w.field(0, "NominatedNodeName", str(pod, "status.nominatedNodeName"));
        if (!list(pod, "spec.initContainers").isEmpty()) {
            containers(w, "Init Containers", list(pod, "spec.initContainers"), list(pod, "status.initContainerStatuses"), pod, "", clock);
        }
        containers(w, "Containers", list(pod, "spec.containers"), list(pod, "status.containerStatuses"), pod, "", clock);
        List<JsonNode> conditions = list(pod, "status.conditions");
        if (!conditions.isEmpty()) {
            w.write(0, "Conditions:\n  Type\tStatus\n");
            for (JsonNode c : conditions) w.write(1, str(c, "type") + " \t" + str(c, "status") + " \n");
        }
        volumes(w, list(pod, "spec.volumes"), "");
        w.field(0, "QoS Class", str(pod, "status.qosClass", qosClass(pod)));
        labels(w, "Node-Selectors", Json.stringMap(pod, "spec.nodeSelector"));
        tolerations(w, "", "Tolerations", list(pod, "spec.tolerations"));
        DescribeSections.events(w, events, clock);
    }

    /** kubectl's QoS class when the status does not carry one: BestEffort, Guaranteed or Burstable. */
    static String qosClass(JsonNode pod) {
        List<JsonNode> containers = new ArrayList<>(list(pod, "spec.containers"));
        containers.addAll(list(pod, "spec.initContainers"));
        boolean anySet = false;
        boolean guaranteed = true;
        for (JsonNode c : containers) {
            JsonNode requests = c.path("resources").path("requests");
            JsonNode limits = c.path("resources").path("limits");
            for (String r : List.of("cpu", "memory")) {
                if (requests.has(r) || limits.has(r)) anySet = true;
                if (!limits.has(r)) guaranteed = false;
                else if (requests.has(r) && !requests.path(r).asText().equals(limits.path(r).asText())) guaranteed = false;
            }
        }
        if (!anySet) return "BestEffort";
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static void deployment(DescribeWriter w, ObjectNode d, List<ObjectNode> events, List<ObjectNode> related, Clock clock) {
        w.field(0, "Name", str(d, "metadata.name"));
        w.field(0, "Namespace", str(d, "metadata.namespace"));
        w.field(0, "CreationTimestamp", rfc1123z(str(d, "metadata.creationTimestamp"), clock));
        labels(w, "Labels", Json.stringMap(d, "metadata.labels"));
        annotations(w, "Annotations", Json.stringMap(d, "metadata.annotations"));
        w.field(0, "Selector", selector(d.path("spec").path("selector")));
        w.field(0, "Replicas", num(d, "spec.replicas", 1) + " desired | " + num(d, "status.updatedReplicas", 0) + " updated | "
                + num(d, "status.replicas", 0) + " total | " + num(d, "status.availableReplicas", 0) + " available | "
                + num(d, "status.unavailableReplicas", 0) + " unavailable");
        String strategy = str(d, "spec.strategy.type", "RollingUpdate");
        w.field(0, "StrategyType", strategy);
        w.field(0, "MinReadySeconds", num(d, "spec.minReadySeconds", 0));
        if (strategy.equals("RollingUpdate")) {
            JsonNode ru = d.path("spec").path("strategy").path("rollingUpdate");
            w.field(0, "RollingUpdateStrategy", intOrString(ru.get("maxUnavailable"), "25%") + " max unavailable, "
                    + intOrString(ru.get("maxSurge"), "25%") + " max surge");
        }
        podTemplate(w, d.path("spec").path("template"), clock);
        conditionsWithReason(w, d);

        List<ObjectNode> replicaSets = related.stream().filter(o -> "ReplicaSet".equals(Json.text(o, "kind"))).toList();
        ObjectNode newRS = newReplicaSet(d, replicaSets);
        List<ObjectNode> oldRSs = new ArrayList<>();
        for (ObjectNode rs : replicaSets) if (rs != newRS && num(rs, "spec.replicas", 1) != 0) oldRSs.add(rs);
        if (newRS != null || !oldRSs.isEmpty()) {
            w.field(0, "OldReplicaSets", replicaSetsSummary(oldRSs));
            w.field(0, "NewReplicaSet", replicaSetsSummary(newRS == null ? List.of() : List.of(newRS)));
        }
        DescribeSections.events(w, events, clock);
    }

    /** The replica set whose pod template is the deployment's (ignoring pod-template-hash), else the one of the same revision. */
    private static ObjectNode newReplicaSet(JsonNode d, List<ObjectNode> replicaSets) {
        JsonNode template = d.path("spec").path("template");
        for (ObjectNode rs : replicaSets) {
            JsonNode rsTemplate = rs.path("spec").path("template").deepCopy();
            if (rsTemplate.path("metadata").path("labels") instanceof ObjectNode labels) {
                labels.remove("pod-template-hash");
                if (labels.isEmpty() && !template.path("metadata").has("labels")) ((ObjectNode) rsTemplate.path("metadata")).remove("labels");
            }
            if (rsTemplate.equals(template)) return rs;
        }
        String revision = Json.stringMap(d, "metadata.annotations").get("deployment.kubernetes.io/revision");
        for (ObjectNode rs : replicaSets) {
            if (revision != null && revision.equals(Json.stringMap(rs, "metadata.annotations").get("deployment.kubernetes.io/revision"))) return rs;
        }
        return null;
    }

    private static String replicaSetsSummary(List<ObjectNode> replicaSets) {
        List<String> parts = new ArrayList<>();
        for (ObjectNode rs : replicaSets) {
            parts.add(str(rs, "metadata.name") + " (" + num(rs, "status.replicas", 0) + "/" + num(rs, "spec.replicas", 1) + " replicas created)");
        }
        return parts.isEmpty() ? "<none>" : String.join(", ", parts);
    }

    private static void replicaSet(DescribeWriter w, ObjectNode rs, List<ObjectNode> events, List<ObjectNode> related, Clock clock) {
        w.field(0, "Name", str(rs, "metadata.name"));
        w.field(0, "Namespace", str(rs, "metadata.namespace"));
        w.field(0, "Selector", formatSelector(rs.path("spec").path("selector")));
        labels(w, "Labels", Json.stringMap(rs, "metadata.labels"));
        annotations(w, "Annotations", Json.stringMap(rs, "metadata.annotations"));
        if (!controlledBy(rs).isEmpty()) w.field(0, "Controlled By", controlledBy(rs));
        w.field(0, "Replicas", num(rs, "status.replicas", 0) + " current / " + num(rs, "spec.replicas", 1) + " desired");
        w.field(0, "Pods Status", podsStatus(related));
        podTemplate(w, rs.path("spec").path("template"), clock);
        conditionsWithReason(w, rs);
        DescribeSections.events(w, events, clock);
    }

    /** {@code R Running / W Waiting / S Succeeded / F Failed} over the pods among {@code related} (the controller's own). */
    private static String podsStatus(List<ObjectNode> related) {
        int running = 0, waiting = 0, succeeded = 0, failed = 0;
        for (ObjectNode pod : related) {
            if (!"Pod".equals(Json.text(pod, "kind"))) continue;
            switch (str(pod, "status.phase")) {
                case "Running" -> running++;
                case "Pending" -> waiting++;
                case "Succeeded" -> succeeded++;
                case "Failed" -> failed++;
                default -> { }
            }
        }
        return running + " Running / " + waiting + " Waiting / " + succeeded + " Succeeded / " + failed + " Failed";
    }

    /** kubectl's {@code describeJob}: the spec's knobs, the run's times, the pod counts from the status. */
    private static void job(DescribeWriter w, ObjectNode job, List<ObjectNode> events, Clock clock) {
        w.field(0, "Name", str(job, "metadata.name"));
        w.field(0, "Namespace", str(job, "metadata.namespace"));
        w.field(0, "Selector", selector(job.path("spec").path("selector")));
        labels(w, "Labels", Json.stringMap(job, "metadata.labels"));
        annotations(w, "Annotations", Json.stringMap(job, "metadata.annotations"));
        if (has(job, "spec.parallelism")) w.field(0, "Parallelism", num(job, "spec.parallelism", 1));
        w.field(0, "Completions", has(job, "spec.completions") ? String.valueOf(num(job, "spec.completions", 1)) : "<unset>");
        if (has(job, "spec.completionMode")) w.field(0, "Completion Mode", str(job, "spec.completionMode"));
        if (has(job, "spec.suspend")) w.field(0, "Suspend", String.valueOf(bool(job, "spec.suspend")));
        if (has(job, "spec.backoffLimit")) w.field(0, "Backoff Limit", num(job, "spec.backoffLimit", 6));
        if (has(job, "spec.ttlSecondsAfterFinished")) {
            w.field(0, "TTL Seconds After Finished", num(job, "spec.ttlSecondsAfterFinished", 0));
        }
        String start = str(job, "status.startTime");
        String completed = str(job, "status.completionTime");
        if (!start.isEmpty()) w.field(0, "Start Time", rfc1123z(start, clock));
        if (!completed.isEmpty()) w.field(0, "Completed At", rfc1123z(completed, clock));
        if (!start.isEmpty() && !completed.isEmpty()) {
            w.field(0, "Duration", HumanDuration.format(java.time.Duration.between(HumanDuration.parse(start),
                    HumanDuration.parse(completed))));
        }
        if (has(job, "spec.activeDeadlineSeconds")) {
            w.field(0, "Active Deadline Seconds", num(job, "spec.activeDeadlineSeconds", 0) + "s");
        }
        w.field(0, "Pods Statuses", num(job, "status.active", 0) + " Active (" + num(job, "status.ready", 0) + " Ready) / "
                + num(job, "status.succeeded", 0) + " Succeeded / " + num(job, "status.failed", 0) + " Failed");
        if ("Indexed".equals(str(job, "spec.completionMode"))) {
            w.field(0, "Completed Indexes", str(job, "status.completedIndexes", "<none>"));
        }
        podTemplate(w, job.path("spec").path("template"), clock);
        DescribeSections.events(w, events, clock);
    }

    private static void statefulSet(DescribeWriter w, ObjectNode sts, List<ObjectNode> events, List<ObjectNode> related, Clock clock) {
        w.field(0, "Name", str(sts, "metadata.name"));
        w.field(0, "Namespace", str(sts, "metadata.namespace"));
        w.field(0, "CreationTimestamp", rfc1123z(str(sts, "metadata.creationTimestamp"), clock));
        w.field(0, "Selector", selector(sts.path("spec").path("selector")));
        labels(w, "Labels", Json.stringMap(sts, "metadata.labels"));
        annotations(w, "Annotations", Json.stringMap(sts, "metadata.annotations"));
        w.field(0, "Replicas", num(sts, "spec.replicas", 1) + " desired | " + num(sts, "status.replicas", 0) + " total");
        JsonNode strategy = sts.path("spec").path("updateStrategy");
        w.field(0, "Update Strategy", str(strategy, "type", "RollingUpdate"));
        // The API server gives an unset strategy, or a rollingUpdate without a partition, partition 0.
        boolean rollingUpdate = str(strategy, "type").isEmpty() || strategy.path("rollingUpdate").isObject();
        if (str(strategy, "type", "RollingUpdate").equals("RollingUpdate") && rollingUpdate) {
            w.field(1, "Partition", num(strategy, "rollingUpdate.partition", 0));
            if (has(strategy, "rollingUpdate.maxUnavailable")) {
                w.field(1, "MaxUnavailable", intOrString(strategy.path("rollingUpdate").get("maxUnavailable"), ""));
            }
        }
        w.field(0, "Pods Status", podsStatus(related));
        podTemplate(w, sts.path("spec").path("template"), clock);
        volumeClaimTemplates(w, list(sts, "spec.volumeClaimTemplates"));
        DescribeSections.events(w, events, clock);
    }

    /** kubectl's {@code describeVolumeClaimTemplates}: annotations print like labels there. */
    private static void volumeClaimTemplates(DescribeWriter w, List<JsonNode> templates) {
        if (templates.isEmpty()) {
            w.write(0, "Volume Claims:\t<none>\n");
            return;
        }
        w.write(0, "Volume Claims:\n");
        for (JsonNode pvc : templates) {
            w.field(1, "Name", str(pvc, "metadata.name"));
            String storageClass = str(pvc, "spec.storageClassName",
                    Json.stringMap(pvc, "metadata.annotations").getOrDefault("volume.beta.kubernetes.io/storage-class", ""));
            w.field(1, "StorageClass", storageClass);
            labels(w, "  ", "Labels", Json.stringMap(pvc, "metadata.labels"));
            labels(w, "  ", "Annotations", Json.stringMap(pvc, "metadata.annotations"));
            w.field(1, "Capacity", str(pvc, "spec.resources.requests.storage", "<default>"));
            List<String> modes = new ArrayList<>();
            list(pvc, "spec.accessModes").forEach(m -> modes.add(m.asText()));
            w.field(1, "Access Modes", "[" + String.join(" ", modes) + "]");
        }
    }

    private static void service(DescribeWriter w, ObjectNode svc, List<ObjectNode> events, List<ObjectNode> related, Clock clock) {
        nameNamespaceLabelsAnnotations(w, svc);
        w.field(0, "Selector", formatLabels(Json.stringMap(svc, "spec.selector")));
        w.field(0, "Type", ServiceTable.type(svc));
        if (has(svc, "spec.ipFamilyPolicy")) w.field(0, "IP Family Policy", str(svc, "spec.ipFamilyPolicy"));
        List<String> families = new ArrayList<>();
        list(svc, "spec.ipFamilies").forEach(f -> families.add(f.asText()));
        w.field(0, "IP Families", orNone(String.join(",", families)));
        w.field(0, "IP", str(svc, "spec.clusterIP"));
        w.field(0, "IPs", orNone(String.join(",", ServiceTable.clusterIPs(svc))));
        List<String> externalIPs = new ArrayList<>();
        list(svc, "spec.externalIPs").forEach(ip -> externalIPs.add(ip.asText()));
        if (!externalIPs.isEmpty()) w.field(0, "External IPs", String.join(",", externalIPs));
        if (!str(svc, "spec.loadBalancerIP").isEmpty()) w.field(0, "IP", str(svc, "spec.loadBalancerIP"));
        if (!str(svc, "spec.externalName").isEmpty()) w.field(0, "External Name", str(svc, "spec.externalName"));
        String lb = loadBalancerIngress(svc.path("status").path("loadBalancer"), true);
        if (!lb.isEmpty()) w.field(0, "LoadBalancer Ingress", lb.replace(",", ", "));
        JsonNode endpoints = related.stream()
                .filter(o -> "Endpoints".equals(Json.text(o, "kind")) && str(o, "metadata.name").equals(str(svc, "metadata.name")))
                .findFirst().orElse(null);
        for (JsonNode p : list(svc, "spec.ports")) {
            String name = str(p, "name", "<unset>");
            String protocol = str(p, "protocol", "TCP");
            w.write(0, "Port:\t" + name + "\t" + num(p, "port", 0) + "/" + protocol + "\n");
            w.field(0, "TargetPort", intOrString(p.get("targetPort"), String.valueOf(num(p, "port", 0))) + "/" + protocol);
            if (num(p, "nodePort", 0) != 0) w.write(0, "NodePort:\t" + name + "\t" + num(p, "nodePort", 0) + "/" + protocol + "\n");
            w.field(0, "Endpoints", EndpointsTable.format(endpoints, Set.of(str(p, "name"))));
        }
        if (dev.mo.model.PodAddresses.headless(svc)) podAddresses(w, svc, endpoints);
        w.field(0, "Session Affinity", str(svc, "spec.sessionAffinity", "None"));
        if (!str(svc, "spec.externalTrafficPolicy").isEmpty()) w.field(0, "External Traffic Policy", str(svc, "spec.externalTrafficPolicy"));
        if (!str(svc, "spec.internalTrafficPolicy").isEmpty()) w.field(0, "Internal Traffic Policy", str(svc, "spec.internalTrafficPolicy"));
        if (num(svc, "spec.healthCheckNodePort", 0) != 0) w.field(0, "HealthCheck NodePort", num(svc, "spec.healthCheckNodePort", 0));
        DescribeSections.events(w, events, clock);
    }

    /** kubectl's {@code describeIngressV1}; backends' endpoints come from the Services and Endpoints in {@code related}. */
    private static void ingress(DescribeWriter w, ObjectNode ing, List<ObjectNode> events, List<ObjectNode> related, Clock clock) {
        w.field(0, "Name", str(ing, "metadata.name"));
        labels(w, "Labels", Json.stringMap(ing, "metadata.labels"));
        w.field(0, "Namespace", str(ing, "metadata.namespace"));
        w.field(0, "Address", loadBalancerIngress(ing.path("status").path("loadBalancer"), true));
        w.field(0, "Ingress Class", str(ing, "spec.ingressClassName", "<none>"));
        JsonNode defaultBackend = ing.path("spec").path("defaultBackend");
        String defaultDescription = defaultBackend.isObject() ? ingressBackend(defaultBackend, related) : "<default>";
        w.field(0, "Default backend", defaultDescription);
        List<JsonNode> tls = list(ing, "spec.tls");
        if (!tls.isEmpty()) {
            w.write(0, "TLS:\n");
            for (JsonNode t : tls) {
                List<String> hosts = new ArrayList<>();
                list(t, "hosts").forEach(h -> hosts.add(h.asText()));
                String secret = str(t, "secretName");
                w.write(1, (secret.isEmpty() ? "SNI routes " : secret + " terminates ") + String.join(",", hosts) + "\n");
            }
        }
        w.write(0, "Rules:\n  Host\tPath\tBackends\n");
        w.write(1, "----\t----\t--------\n");
        int rulesWithPaths = 0;
        for (JsonNode rule : list(ing, "spec.rules")) {
            if (!rule.path("http").isObject()) continue;
            rulesWithPaths++;
            w.write(1, str(rule, "host", "*") + "\t\n");
            for (JsonNode path : list(rule, "http.paths")) {
                w.write(2, "\t" + str(path, "path") + " \t" + ingressBackend(path.path("backend"), related) + "\n");
            }
        }
        if (rulesWithPaths == 0) w.write(1, "*\t*\t" + defaultDescription + "\n");
        annotations(w, "Annotations", Json.stringMap(ing, "metadata.annotations"));
        DescribeSections.events(w, events, clock);
    }

    /**
     * kubectl's {@code describeBackendV1}: {@code svc:port (ip:port,...)} with the endpoints of the
     * Service port the backend names, or the lookup error kubectl shows when an object is missing.
     */
    private static String ingressBackend(JsonNode backend, List<ObjectNode> related) {
        if (backend.path("resource").isObject()) {
            return "APIGroup: " + str(backend, "resource.apiGroup", "<none>") + ", Kind: " + str(backend, "resource.kind")
                    + ", Name: " + str(backend, "resource.name");
        }
        if (!backend.path("service").isObject()) return "";
        String name = str(backend, "service.name");
        long portNumber = num(backend, "service.port.number", 0);
        String portName = str(backend, "service.port.name");
        String described = name + ":" + (portNumber != 0 ? String.valueOf(portNumber) : portName);
        ObjectNode endpoints = relatedNamed(related, "Endpoints", name);
        if (endpoints == null) return described + " (<error: endpoints \"" + name + "\" not found>)";
        ObjectNode service = relatedNamed(related, "Service", name);
        if (service == null) return described + " (<error: services \"" + name + "\" not found>)";
        String servicePortName = "";
        for (JsonNode p : list(service, "spec.ports")) {
            boolean byNumber = portNumber != 0 && portNumber == num(p, "port", 0);
            boolean byName = !portName.isEmpty() && portName.equals(str(p, "name"));
            if (byNumber || byName) servicePortName = str(p, "name");
        }
        return described + " (" + EndpointsTable.format(endpoints, Set.of(servicePortName)) + ")";
    }

    private static ObjectNode relatedNamed(List<ObjectNode> related, String kind, String name) {
        return related.stream().filter(o -> kind.equals(Json.text(o, "kind")) && name.equals(str(o, "metadata.name")))
                .findFirst().orElse(null);
    }

    /**
     * kubectl's {@code describeHorizontalPodAutoscalerV2}. mo keeps autoscaling/v1 objects as applied,
     * so their CPU target and current utilization are read as the one cpu metric kubectl's v2 view shows.
     */
    private static void horizontalPodAutoscaler(DescribeWriter w, ObjectNode hpa, List<ObjectNode> events, Clock clock) {
        nameNamespaceLabelsAnnotations(w, hpa);
        w.field(0, "CreationTimestamp", rfc1123z(str(hpa, "metadata.creationTimestamp"), clock));
        String targetKind = str(hpa, "spec.scaleTargetRef.kind");
        w.field(0, "Reference", targetKind + "/" + str(hpa, "spec.scaleTargetRef.name"));
        w.field(0, "Metrics", "( current / target )");
        boolean v1 = "autoscaling/v1".equals(str(hpa, "apiVersion"));
        List<JsonNode> metrics = v1 ? List.of(v1CpuMetric(hpa)) : list(hpa, "spec.metrics");
        List<JsonNode> currentMetrics = v1 ? v1CurrentCpu(hpa) : list(hpa, "status.currentMetrics");
        for (int i = 0; i < metrics.size(); i++) {
            hpaMetric(w, metrics.get(i), i < currentMetrics.size() ? currentMetrics.get(i) : null);
        }
        w.field(0, "Min replicas", has(hpa, "spec.minReplicas") ? String.valueOf(num(hpa, "spec.minReplicas", 1)) : "<unset>");
        w.field(0, "Max replicas", num(hpa, "spec.maxReplicas", 0));
        JsonNode behavior = hpa.path("spec").path("behavior");
        if (behavior.isObject()) {
            w.write(0, "Behavior:\n");
            scalingRules(w, "Scale Up", behavior.path("scaleUp"));
            scalingRules(w, "Scale Down", behavior.path("scaleDown"));
        }
        w.field(0, targetKind + " pods", num(hpa, "status.currentReplicas", 0) + " current / " + num(hpa, "status.desiredReplicas", 0) + " desired");
        List<JsonNode> conditions = list(hpa, "status.conditions");
        if (!conditions.isEmpty()) {
            w.write(0, "Conditions:\n");
            w.write(1, "Type\tStatus\tReason\tMessage\n");
            w.write(1, "----\t------\t------\t-------\n");
            for (JsonNode c : conditions) {
                w.write(1, str(c, "type") + "\t" + str(c, "status") + "\t" + str(c, "reason") + "\t" + str(c, "message") + "\n");
            }
        }
        DescribeSections.events(w, events, clock);
    }

    /** An autoscaling/v1 CPU target as its v2 metric; unset means 80%, the target mo's controller then uses. */
    private static JsonNode v1CpuMetric(ObjectNode hpa) {
        return Json.parse("{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\","
                + "\"averageUtilization\":" + num(hpa, "spec.targetCPUUtilizationPercentage", 80) + "}}}");
    }

    /** An autoscaling/v1 current CPU utilization as its v2 current metric; none before the first measurement. */
    private static List<JsonNode> v1CurrentCpu(ObjectNode hpa) {
        if (!has(hpa, "status.currentCPUUtilizationPercentage")) return List.of();
        return List.of(Json.parse("{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"current\":{"
                + "\"averageUtilization\":" + num(hpa, "status.currentCPUUtilizationPercentage", 0) + "}}}"));
    }

    /** One line of the Metrics section; {@code current} is the status entry at the same index, or null. */
    private static void hpaMetric(DescribeWriter w, JsonNode metric, JsonNode current) {
        String type = str(metric, "type");
        switch (type) {
            case "Resource", "ContainerResource" -> {
                String field = type.equals("Resource") ? "resource" : "containerResource";
                JsonNode source = metric.path(field);
                JsonNode now = current == null ? null : current.path(field).path("current");
                w.write(1, "resource " + str(source, "name")
                        + (type.equals("Resource") ? "" : " of container \"" + str(source, "container") + "\"") + " on pods");
                if (has(source, "target.averageValue")) {
                    String value = now != null && has(now, "averageValue") ? str(now, "averageValue") : "<unknown>";
                    w.write(0, ":\t" + value + " / " + str(source, "target.averageValue") + "\n");
                } else {
                    // An autoscaling/v1 status has no average value to show in parentheses.
                    String averageValue = now != null && has(now, "averageValue") ? " (" + str(now, "averageValue") + ")" : "";
                    String value = now != null && has(now, "averageUtilization")
                            ? num(now, "averageUtilization", 0) + "%" + averageValue : "<unknown>";
                    String target = has(source, "target.averageUtilization") ? num(source, "target.averageUtilization", 0) + "%" : "<auto>";
                    w.write(1, "(as a percentage of request):\t" + value + " / " + target + "\n");
                }
            }
            case "Pods" -> {
                String value = current != null && has(current, "pods.current.averageValue") ? str(current, "pods.current.averageValue") : "<unknown>";
                w.write(1, "\"" + str(metric, "pods.metric.name") + "\" on pods:\t" + value + " / " + str(metric, "pods.target.averageValue") + "\n");
            }
            case "Object" -> {
                JsonNode source = metric.path("object");
                w.write(1, "\"" + str(source, "metric.name") + "\" on " + str(source, "describedObject.kind") + "/"
                        + str(source, "describedObject.name") + " ");
                boolean average = str(source, "target.type").equals("AverageValue");
                String field = average ? "averageValue" : "value";
                String value = current != null && has(current.path("object").path("current"), field)
                        ? str(current.path("object").path("current"), field) : "<unknown>";
                w.write(0, (average ? "(target average value)" : "(target value)") + ":\t" + value + " / "
                        + str(source.path("target"), field) + "\n");
            }
            case "External" -> {
                JsonNode source = metric.path("external");
                boolean average = has(source, "target.averageValue");
                String field = average ? "averageValue" : "value";
                String value = current != null && has(current.path("external").path("current"), field)
                        ? str(current.path("external").path("current"), field) : "<unknown>";
                w.write(1, "\"" + str(source, "metric.name") + "\" " + (average ? "(target average value)" : "(target value)")
                        + ":\t" + value + " / " + str(source.path("target"), field) + "\n");
            }
            default -> w.write(1, "<unknown metric type \"" + type + "\">\n");
        }
    }

    /** kubectl's {@code printDirectionBehavior}. */
    private static void scalingRules(DescribeWriter w, String direction, JsonNode rules) {
        if (!rules.isObject()) return;
        w.write(1, direction + ":\n");
        if (has(rules, "stabilizationWindowSeconds")) {
            w.write(2, "Stabilization Window: " + num(rules, "stabilizationWindowSeconds", 0) + " seconds\n");
        }
        List<JsonNode> policies = list(rules, "policies");
        if (policies.isEmpty()) return;
        w.write(2, "Select Policy: " + str(rules, "selectPolicy", "Max") + "\n");
        w.write(2, "Policies:\n");
        for (JsonNode p : policies) {
            w.write(3, "- Type: " + str(p, "type") + "\tValue: " + num(p, "value", 0) + "\tPeriod: " + num(p, "periodSeconds", 0) + " seconds\n");
        }
    }

    /**
     * mo's own line for a headless Service: each pod's name (its hostname under the Service, or
     * the pod name) and the address every node serves for it.
     */
    private static void podAddresses(DescribeWriter w, ObjectNode svc, JsonNode endpoints) {
        java.util.Map<String, String> addresses = dev.mo.model.PodAddresses.of(endpoints);
        List<String> lines = new ArrayList<>();
        for (JsonNode subset : list(endpoints, "subsets")) {
            String pod = dev.mo.model.PodAddresses.podOf(subset);
            String ip = pod == null ? null : addresses.get(pod);
            if (ip == null) continue;
            boolean ready = !list(subset, "addresses").isEmpty();
            JsonNode address = ready ? subset.path("addresses").path(0) : subset.path("notReadyAddresses").path(0);
            String hostname = str(address, "hostname");
            String name = hostname.isEmpty() ? pod
                    : hostname + "." + str(svc, "metadata.name") + "." + str(svc, "metadata.namespace") + ".svc.cluster.local";
            lines.add(name + " " + ip + (ready ? "" : " (not ready)"));
        }
        w.field(0, "Pod Addresses", lines.isEmpty() ? "<none>" : lines.get(0));
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) w.write(0, "\t" + line + "\n");
    }

    private static void node(DescribeWriter w, ObjectNode node, List<ObjectNode> events, List<ObjectNode> pods, Clock clock) {
        w.field(0, "Name", str(node, "metadata.name"));
        w.field(0, "Roles", orNone(String.join(",", NodeTable.roles(node))));
        labels(w, "Labels", Json.stringMap(node, "metadata.labels"));
        annotations(w, "Annotations", Json.stringMap(node, "metadata.annotations"));
        w.field(0, "CreationTimestamp", rfc1123z(str(node, "metadata.creationTimestamp"), clock));
        List<JsonNode> taints = new ArrayList<>(list(node, "spec.taints"));
        taints.sort(java.util.Comparator.comparing(t -> str(t, "effect") + "," + str(t, "key")));
        w.write(0, "Taints:\t");
        if (taints.isEmpty()) w.write(0, "<none>\n");
        for (int i = 0; i < taints.size(); i++) {
            JsonNode t = taints.get(i);
            if (i > 0) w.write(0, "\t");
            String value = str(t, "value").isEmpty() ? "" : "=" + str(t, "value");
            w.write(0, str(t, "key") + value + ":" + str(t, "effect") + "\n");
        }
        w.field(0, "Unschedulable", bool(node, "spec.unschedulable"));
        List<JsonNode> conditions = list(node, "status.conditions");
        if (!conditions.isEmpty()) {
            w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
            w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
            for (JsonNode c : conditions) {
                w.write(1, str(c, "type") + " \t" + str(c, "status") + " \t" + rfc1123z(str(c, "lastHeartbeatTime"), clock) + " \t"
                        + rfc1123z(str(c, "lastTransitionTime"), clock) + " \t" + str(c, "reason") + " \t" + str(c, "message") + "\n");
            }
        }
        w.write(0, "Addresses:\n");
        for (JsonNode a : list(node, "status.addresses")) w.field(1, str(a, "type"), str(a, "address"));
        resourceList(w, "Capacity", node.path("status").path("capacity"));
        resourceList(w, "Allocatable", node.path("status").path("allocatable"));
        w.write(0, "System Info:\n");
        JsonNode info = node.path("status").path("nodeInfo");
        w.field(1, "Machine ID", str(info, "machineID"));
        w.field(1, "System UUID", str(info, "systemUUID"));
        w.field(1, "Boot ID", str(info, "bootID"));
        w.field(1, "Kernel Version", str(info, "kernelVersion"));
        w.field(1, "OS Image", str(info, "osImage"));
        w.field(1, "Operating System", str(info, "operatingSystem"));
        w.field(1, "Architecture", str(info, "architecture"));
        w.field(1, "Container Runtime Version", str(info, "containerRuntimeVersion"));
        w.field(1, "Kubelet Version", str(info, "kubeletVersion"));
        w.field(1, "Kube-Proxy Version", str(info, "kubeProxyVersion"));
        if (!str(node, "spec.podCIDR").isEmpty()) w.field(0, "PodCIDR", str(node, "spec.podCIDR"));
        List<String> cidrs = new ArrayList<>();
        list(node, "spec.podCIDRs").forEach(c -> cidrs.add(c.asText()));
        if (!cidrs.isEmpty()) w.field(0, "PodCIDRs", String.join(",", cidrs));
        if (!str(node, "spec.providerID").isEmpty()) w.field(0, "ProviderID", str(node, "spec.providerID"));
        NodeAllocation.write(w, node, pods, clock);
        DescribeSections.events(w, events, clock);
    }

    private static void resourceList(DescribeWriter w, String title, JsonNode resources) {
        if (!resources.isObject() || resources.isEmpty()) return;
        w.write(0, title + ":\n");
        TreeMap<String, String> sorted = new TreeMap<>();
        resources.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        sorted.forEach((name, quantity) -> w.write(0, "  " + name + ":\t" + quantity + "\n"));
    }

    private static void namespace(DescribeWriter w, ObjectNode ns) {
        w.field(0, "Name", str(ns, "metadata.name"));
        labels(w, "Labels", Json.stringMap(ns, "metadata.labels"));
        annotations(w, "Annotations", Json.stringMap(ns, "metadata.annotations"));
        w.field(0, "Status", str(ns, "status.phase", "Active"));
        w.write(0, "\nNo resource quota.\n");
        w.write(0, "\nNo LimitRange resource.\n");
    }

    private static void configMap(DescribeWriter w, ObjectNode cm, List<ObjectNode> events, Clock clock) {
        nameNamespaceLabelsAnnotations(w, cm);
        w.write(0, "\nData\n====\n");
        new TreeMap<>(Json.stringMap(cm, "data")).forEach((k, v) -> {
            w.write(0, k + ":\n----\n");
            w.write(0, v + "\n");
        });
        w.write(0, "\nBinaryData\n====\n");
        TreeMap<String, String> binary = new TreeMap<>(Json.stringMap(cm, "binaryData"));
        binary.forEach((k, v) -> w.write(0, k + ": " + java.util.Base64.getMimeDecoder().decode(v).length + " bytes\n"));
        w.write(0, "\n");
        DescribeSections.events(w, events, clock);
    }

    /** kubectl's layout; {@code pods} are the pods of its namespace, and those that name the claim are "Used By". */
    private static void claim(DescribeWriter w, ObjectNode pvc, List<ObjectNode> events, List<ObjectNode> pods, Clock clock) {
        w.field(0, "Name", str(pvc, "metadata.name"));
        w.field(0, "Namespace", str(pvc, "metadata.namespace"));
        w.field(0, "StorageClass", str(pvc, "spec.storageClassName"));
        w.field(0, "Status", has(pvc, "metadata.deletionTimestamp")
                ? "Terminating (lasts " + HumanDuration.since(str(pvc, "metadata.deletionTimestamp"), clock) + ")"
                : str(pvc, "status.phase"));
        w.field(0, "Volume", str(pvc, "spec.volumeName"));
        labels(w, "Labels", Json.stringMap(pvc, "metadata.labels"));
        annotations(w, "Annotations", Json.stringMap(pvc, "metadata.annotations"));
        List<String> finalizers = new ArrayList<>();
        list(pvc, "metadata.finalizers").forEach(f -> finalizers.add(f.asText()));
        w.field(0, "Finalizers", "[" + String.join(" ", finalizers) + "]");
        boolean bound = !str(pvc, "spec.volumeName").isEmpty();
        w.field(0, "Capacity", bound ? str(pvc, "status.capacity.storage") : "");
        w.field(0, "Access Modes", bound ? PersistentVolumeClaimTable.accessModes(pvc.path("status").path("accessModes")) : "");
        if (has(pvc, "spec.volumeMode")) w.field(0, "VolumeMode", str(pvc, "spec.volumeMode"));
        List<String> usedBy = new ArrayList<>();
        for (ObjectNode pod : pods) {
            for (JsonNode v : list(pod, "spec.volumes")) {
                if (str(pvc, "metadata.name").equals(str(v, "persistentVolumeClaim.claimName"))) usedBy.add(str(pod, "metadata.name"));
            }
        }
        usedBy.sort(null);
        w.write(0, "Used By:\t" + (usedBy.isEmpty() ? "<none>" : String.join("\n\t", usedBy)) + "\n");
        DescribeSections.events(w, events, clock);
    }

    private static void secret(DescribeWriter w, ObjectNode secret) {
        nameNamespaceLabelsAnnotations(w, secret);
        String type = str(secret, "type", "Opaque");
        w.write(0, "\nType:\t" + type + "\n");
        w.write(0, "\nData\n====\n");
        for (Map.Entry<String, Integer> e : SecretData.sizes(secret).entrySet()) {
            w.write(0, e.getKey() + ":\t" + e.getValue() + " bytes\n");
        }
    }

    /** kubectl's generic describer: the header, then every other field as {@code Smart Label:  value}, nested by indent. */
    private static void generic(DescribeWriter w, ObjectNode obj, List<ObjectNode> events, Clock clock) {
        nameNamespaceLabelsAnnotations(w, obj);
        unstructured(w, 0, obj, "", Set.of(".metadata.managedFields", ".metadata.name", ".metadata.namespace",
                ".metadata.labels", ".metadata.annotations"));
        DescribeSections.events(w, events, clock);
    }

    private static void unstructured(DescribeWriter w, int level, JsonNode content, String skipPrefix, Set<String> skip) {
        TreeMap<String, JsonNode> fields = new TreeMap<>();
        content.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
            String path = skipPrefix + "." + field.getKey();
            if (skip.contains(path)) continue;
            JsonNode value = field.getValue();
            if (value.isObject()) {
                w.write(level, SmartLabel.of(field.getKey()) + ":\n");
                unstructured(w, level + 1, value, path, skip);
            } else if (value.isArray()) {
                w.write(level, SmartLabel.of(field.getKey()) + ":\n");
                for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
                    JsonNode child = it.next();
                    if (child.isObject()) unstructured(w, level + 1, child, path, skip);
                    else w.write(level + 1, goValue(child) + "\n");
                }
            } else {
                w.write(level, SmartLabel.of(field.getKey()) + ":\t" + goValue(value) + "\n");
            }
        }
    }

    private static String goValue(JsonNode n) {
        return n.isNull() ? "<nil>" : n.asText();
    }
}

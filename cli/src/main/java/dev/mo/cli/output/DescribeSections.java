package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.mo.cli.output.Fields.*;

/** The parts several describers share: labels, annotations, containers, volumes, tolerations, events. */
final class DescribeSections {
    private static final int MAX_ANNOTATION_LENGTH = 140;

    private DescribeSections() {}

    /** {@code Labels:  a=b} with one label per line, sorted; {@code <none>} when empty. */
    static void labels(DescribeWriter w, String title, Map<String, String> labels) {
        labels(w, "", title, labels);
    }

    static void labels(DescribeWriter w, String initialIndent, String title, Map<String, String> labels) {
        w.write(0, initialIndent + title + ":\t");
        if (labels.isEmpty()) {
            w.write(0, "<none>\n");
            return;
        }
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            if (!first) w.write(0, initialIndent + "\t");
            first = false;
            w.write(0, e.getKey() + "=" + e.getValue() + "\n");
        }
    }

    /** {@code Annotations:} like labels, {@code key: value}, long or multi-line values on their own lines. */
    static void annotations(DescribeWriter w, String title, Map<String, String> annotations) {
        w.write(0, title + ":\t");
        TreeMap<String, String> sorted = new TreeMap<>(annotations);
        sorted.remove("kubectl.kubernetes.io/last-applied-configuration");
        if (sorted.isEmpty()) {
            w.write(0, "<none>\n");
            return;
        }
        boolean first = true;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (!first) w.write(0, "\t");
            first = false;
            String value = e.getValue().endsWith("\n") ? e.getValue().substring(0, e.getValue().length() - 1) : e.getValue();
            if (value.length() + e.getKey().length() + 2 > MAX_ANNOTATION_LENGTH || value.contains("\n")) {
                w.write(0, e.getKey() + ":\n");
                for (String line : value.split("\n", -1)) {
                    String shortened = line.length() > MAX_ANNOTATION_LENGTH - 2
                            ? line.substring(0, MAX_ANNOTATION_LENGTH - 2) + "..." : line;
                    w.write(0, "\t  " + shortened + "\n");
                }
            } else {
                w.write(0, e.getKey() + ": " + value + "\n");
            }
        }
    }

    /** The {@code Containers:} section; {@code statuses} empty for pod templates. */
    static void containers(DescribeWriter w, String label, List<JsonNode> containers, List<JsonNode> statuses,
                           JsonNode pod, String space, Clock clock) {
        w.write(0, space + label + ":" + (containers.isEmpty() ? " <none>" : "") + "\n");
        for (JsonNode c : containers) {
            JsonNode status = null;
            for (JsonNode s : statuses) if (str(s, "name").equals(str(c, "name"))) status = s;
            w.write(1, (space.isEmpty() ? "" : " ") + str(c, "name") + ":\n");
            if (status != null) w.field(2, "Container ID", str(status, "containerID"));
            w.field(2, "Image", str(c, "image"));
            if (status != null) w.field(2, "Image ID", str(status, "imageID"));
            List<String> ports = new ArrayList<>();
            List<String> hostPorts = new ArrayList<>();
            for (JsonNode p : list(c, "ports")) {
                ports.add(num(p, "containerPort", 0) + "/" + str(p, "protocol", "TCP"));
                hostPorts.add(num(p, "hostPort", 0) + "/" + str(p, "protocol", "TCP"));
            }
            if (ports.size() > 1) w.field(2, "Ports", String.join(", ", ports));
            else w.field(2, "Port", orNone(String.join(", ", ports)));
            if (hostPorts.size() > 1) w.field(2, "Host Ports", String.join(", ", hostPorts));
            else w.field(2, "Host Port", orNone(String.join(", ", hostPorts)));
            if (has(c, "restartPolicy")) w.field(2, "Restart Policy", str(c, "restartPolicy"));
            lines(w, "Command", list(c, "command"));
            lines(w, "Args", list(c, "args"));
            if (status != null) {
                state(w, "State", status.path("state"), clock);
                if (status.path("lastState").path("terminated").isObject()) state(w, "Last State", status.path("lastState"), clock);
                w.field(2, "Ready", bool(status, "ready") ? "True" : "False");
                w.field(2, "Restart Count", num(status, "restartCount", 0));
            }
            resources(w, "Limits", c.path("resources").path("limits"));
            resources(w, "Requests", c.path("resources").path("requests"));
            probe(w, "Liveness", c.path("livenessProbe"));
            probe(w, "Readiness", c.path("readinessProbe"));
            probe(w, "Startup", c.path("startupProbe"));
            envFrom(w, list(c, "envFrom"));
            env(w, list(c, "env"), pod);
            mounts(w, list(c, "volumeMounts"));
        }
    }

    private static void lines(DescribeWriter w, String title, List<JsonNode> values) {
        if (values.isEmpty()) return;
        w.write(2, title + ":\n");
        for (JsonNode v : values) for (String line : v.asText().split("\n", -1)) w.write(3, line + "\n");
    }

    private static void state(DescribeWriter w, String name, JsonNode state, Clock clock) {
        if (state.path("running").isObject()) {
            w.field(2, name, "Running");
            w.field(3, "Started", rfc1123z(str(state, "running.startedAt"), clock));
        } else if (state.path("waiting").isObject()) {
            w.field(2, name, "Waiting");
            if (!str(state, "waiting.reason").isEmpty()) w.field(3, "Reason", str(state, "waiting.reason"));
        } else if (state.path("terminated").isObject()) {
            JsonNode t = state.path("terminated");
            w.field(2, name, "Terminated");
            if (!str(t, "reason").isEmpty()) w.field(3, "Reason", str(t, "reason"));
            if (!str(t, "message").isEmpty()) w.field(3, "Message", str(t, "message"));
            w.field(3, "Exit Code", num(t, "exitCode", 0));
            if (num(t, "signal", 0) > 0) w.field(3, "Signal", num(t, "signal", 0));
            w.field(3, "Started", rfc1123z(str(t, "startedAt"), clock));
            w.field(3, "Finished", rfc1123z(str(t, "finishedAt"), clock));
        } else {
            w.field(2, name, "Waiting");
        }
    }

    private static void resources(DescribeWriter w, String title, JsonNode resources) {
        if (!resources.isObject() || resources.isEmpty()) return;
        w.write(2, title + ":\n");
        TreeMap<String, String> sorted = new TreeMap<>();
        resources.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        sorted.forEach((name, quantity) -> w.field(3, name, quantity));
    }

    /** kubectl's {@code DescribeProbe}: {@code http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3}. */
    private static void probe(DescribeWriter w, String title, JsonNode probe) {
        if (!probe.isObject()) return;
        String attrs = "delay=" + num(probe, "initialDelaySeconds", 0) + "s timeout=" + num(probe, "timeoutSeconds", 1)
                + "s period=" + num(probe, "periodSeconds", 10) + "s #success=" + num(probe, "successThreshold", 1)
                + " #failure=" + num(probe, "failureThreshold", 3);
        String description;
        if (probe.has("exec")) {
            List<String> command = new ArrayList<>();
            list(probe, "exec.command").forEach(c -> command.add(c.asText()));
            description = "exec [" + String.join(" ", command) + "] " + attrs;
        } else if (probe.has("httpGet")) {
            JsonNode h = probe.path("httpGet");
            String port = intOrString(h.get("port"), "");
            String host = str(h, "host");
            if (host.contains(":")) host = "[" + host + "]";
            String hostPort = port.isEmpty() ? host : host + ":" + port;
            description = "http-get " + str(h, "scheme", "HTTP").toLowerCase() + "://" + hostPort + str(h, "path") + " " + attrs;
        } else if (probe.has("tcpSocket")) {
            description = "tcp-socket " + str(probe, "tcpSocket.host") + ":" + intOrString(probe.path("tcpSocket").get("port"), "") + " " + attrs;
        } else if (probe.has("grpc")) {
            description = "grpc <pod>:" + num(probe, "grpc.port", 0) + " " + str(probe, "grpc.service") + " " + attrs;
        } else {
            description = "unknown " + attrs;
        }
        w.field(2, title, description);
    }

    private static void envFrom(DescribeWriter w, List<JsonNode> sources) {
        if (sources.isEmpty()) return;
        w.write(2, "Environment Variables from:\n");
        for (JsonNode s : sources) {
            String from = s.has("configMapRef") ? "ConfigMap" : s.has("secretRef") ? "Secret" : "";
            JsonNode ref = s.has("configMapRef") ? s.path("configMapRef") : s.path("secretRef");
            String optional = String.valueOf(bool(ref, "optional"));
            String prefix = str(s, "prefix");
            w.write(3, str(ref, "name") + "\t" + from + (prefix.isEmpty() ? "" : " with prefix '" + prefix + "'")
                    + "\tOptional: " + optional + "\n");
        }
    }

    /** {@code pod} resolves {@code fieldRef} values; null for pod templates. */
    private static void env(DescribeWriter w, List<JsonNode> env, JsonNode pod) {
        w.write(2, "Environment:" + (env.isEmpty() ? "\t<none>" : "") + "\n");
        for (JsonNode e : env) {
            String name = str(e, "name");
            JsonNode from = e.path("valueFrom");
            if (!from.isObject()) {
                String[] lines = str(e, "value").split("\n", -1);
                w.write(3, name + ":\t" + lines[0] + "\n");
                for (int i = 1; i < lines.length; i++) w.write(3, "\t" + lines[i] + "\n");
            } else if (from.has("fieldRef")) {
                String path = str(from, "fieldRef.fieldPath");
                String value = pod == null ? "" : str(pod, path);
                w.write(3, name + ":\t" + value + " (" + str(from, "fieldRef.apiVersion", "v1") + ":" + path + ")\n");
            } else if (from.has("resourceFieldRef")) {
                w.write(3, name + ":\t (" + str(from, "resourceFieldRef.resource") + ")\n");
            } else if (from.has("secretKeyRef")) {
                w.write(3, name + ":\t<set to the key '" + str(from, "secretKeyRef.key") + "' in secret '"
                        + str(from, "secretKeyRef.name") + "'>\tOptional: " + bool(from, "secretKeyRef.optional") + "\n");
            } else if (from.has("configMapKeyRef")) {
                w.write(3, name + ":\t<set to the key '" + str(from, "configMapKeyRef.key") + "' of config map '"
                        + str(from, "configMapKeyRef.name") + "'>\tOptional: " + bool(from, "configMapKeyRef.optional") + "\n");
            }
        }
    }

    private static void mounts(DescribeWriter w, List<JsonNode> mounts) {
        w.write(2, "Mounts:" + (mounts.isEmpty() ? "\t<none>" : "") + "\n");
        List<JsonNode> sorted = new ArrayList<>(mounts);
        sorted.sort(Comparator.comparing(m -> str(m, "mountPath")));
        for (JsonNode m : sorted) {
            String flags = bool(m, "readOnly") ? "ro" : "rw";
            if (!str(m, "subPath").isEmpty()) flags += ",path=\"" + str(m, "subPath") + "\"";
            w.write(3, str(m, "mountPath") + " from " + str(m, "name") + " (" + flags + ")\n");
        }
    }

    /** The {@code Volumes:} section for the common volume types. */
    static void volumes(DescribeWriter w, List<JsonNode> volumes, String space) {
        if (volumes.isEmpty()) {
            w.write(0, space + "Volumes:\t<none>\n");
            return;
        }
        w.write(0, space + "Volumes:\n");
        for (JsonNode v : volumes) {
            w.write(1, (space.isEmpty() ? "" : " ") + str(v, "name") + ":\n");
            if (v.has("hostPath")) {
                w.write(2, "Type:\tHostPath (bare host directory volume)\n    Path:\t" + str(v, "hostPath.path")
                        + "\n    HostPathType:\t" + str(v, "hostPath.type", "<none>") + "\n");
            } else if (v.has("emptyDir")) {
                w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t"
                        + str(v, "emptyDir.medium") + "\n    SizeLimit:\t" + str(v, "emptyDir.sizeLimit", "<unset>") + "\n");
            } else if (v.has("secret")) {
                w.write(2, "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t" + str(v, "secret.secretName")
                        + "\n    Optional:\t" + bool(v, "secret.optional") + "\n");
            } else if (v.has("configMap")) {
                w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t" + str(v, "configMap.name")
                        + "\n    Optional:\t" + bool(v, "configMap.optional") + "\n");
            } else if (v.has("persistentVolumeClaim")) {
                w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
                        + "    ClaimName:\t" + str(v, "persistentVolumeClaim.claimName")
                        + "\n    ReadOnly:\t" + bool(v, "persistentVolumeClaim.readOnly") + "\n");
            } else {
                w.write(1, "<unknown>\n");
            }
        }
    }

    /** {@code Tolerations:  key=value:Effect op=Exists for 300s}, sorted by key. */
    static void tolerations(DescribeWriter w, String initialIndent, String title, List<JsonNode> tolerations) {
        w.write(0, initialIndent + title + ":\t");
        if (tolerations.isEmpty()) {
            w.write(0, "<none>\n");
            return;
        }
        List<JsonNode> sorted = new ArrayList<>(tolerations);
        sorted.sort(Comparator.comparing(t -> str(t, "key")));
        boolean first = true;
        for (JsonNode t : sorted) {
            if (!first) w.write(0, initialIndent + "\t");
            first = false;
            StringBuilder s = new StringBuilder(str(t, "key"));
            if (!str(t, "value").isEmpty()) s.append('=').append(str(t, "value"));
            if (!str(t, "effect").isEmpty()) s.append(':').append(str(t, "effect"));
            if (str(t, "operator").equals("Exists") && str(t, "value").isEmpty()) {
                s.append(str(t, "key").isEmpty() && str(t, "effect").isEmpty() ? "op=Exists" : " op=Exists");
            }
            if (has(t, "tolerationSeconds")) s.append(" for ").append(num(t, "tolerationSeconds", 0)).append('s');
            w.write(0, s + "\n");
        }
    }

    /** A pod template, as in a Deployment or ReplicaSet. */
    static void podTemplate(DescribeWriter w, JsonNode template, Clock clock) {
        w.write(0, "Pod Template:\n");
        labels(w, "  Labels", Json.stringMap(template, "metadata.labels"));
        if (!Json.stringMap(template, "metadata.annotations").isEmpty()) {
            annotations(w, "  Annotations", Json.stringMap(template, "metadata.annotations"));
        }
        JsonNode spec = template.path("spec");
        if (!str(spec, "serviceAccountName").isEmpty()) w.field(1, "Service Account", str(spec, "serviceAccountName"));
        if (!list(spec, "initContainers").isEmpty()) {
            containers(w, "Init Containers", list(spec, "initContainers"), List.of(), null, "  ", clock);
        }
        containers(w, "Containers", list(spec, "containers"), List.of(), null, "  ", clock);
        volumes(w, list(spec, "volumes"), "  ");
        if (!str(spec, "priorityClassName").isEmpty()) w.field(1, "Priority Class Name", str(spec, "priorityClassName"));
        labels(w, "  Node-Selectors", Json.stringMap(spec, "nodeSelector"));
        tolerations(w, "", "  Tolerations", list(spec, "tolerations"));
    }

    /** A {@code Type Status Reason} conditions table (deployments, replica sets). */
    static void conditionsWithReason(DescribeWriter w, JsonNode obj) {
        List<JsonNode> conditions = list(obj, "status.conditions");
        if (conditions.isEmpty()) return;
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.write(1, "----\t------\t------\n");
        for (JsonNode c : conditions) {
            w.write(1, str(c, "type") + " \t" + str(c, "status") + "\t" + str(c, "reason") + "\n");
        }
    }

    /**
     * The {@code Events:} table, oldest first, Age as {@code 2m (x3 over 5m)} for repeated events;
     * {@code Events:  <none>} when empty; nothing at all when {@code events} is null.
     */
    static void events(DescribeWriter w, List<ObjectNode> events, Clock clock) {
        if (events == null) return;
        if (events.isEmpty()) {
            w.write(0, "Events:\t<none>\n");
            return;
        }
        List<ObjectNode> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(e -> HumanDuration.parse(str(e, "lastTimestamp")),
                Comparator.nullsFirst(Comparator.naturalOrder())));
        w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
        w.write(1, "----\t------\t----\t----\t-------\n");
        for (ObjectNode e : sorted) {
            String first = has(e, "eventTime") ? HumanDuration.since(str(e, "eventTime"), clock)
                    : HumanDuration.since(str(e, "firstTimestamp"), clock);
            String age;
            if (has(e, "series")) {
                age = HumanDuration.since(str(e, "series.lastObservedTime"), clock) + " (x" + num(e, "series.count", 0) + " over " + first + ")";
            } else if (num(e, "count", 0) > 1) {
                age = HumanDuration.since(str(e, "lastTimestamp"), clock) + " (x" + num(e, "count", 0) + " over " + first + ")";
            } else {
                age = first;
            }
            String from = str(e, "source.component", str(e, "reportingComponent"));
            w.write(1, str(e, "type") + "\t" + str(e, "reason") + "\t" + age + "\t" + from + "\t" + str(e, "message").strip() + "\n");
        }
    }
}

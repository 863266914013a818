package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Rules for one container of a pod: name, image, ports, env, resources, mounts, probes and lifecycle hooks. */
final class ContainerRules {
    private static final List<String> PROBE_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");
    private static final List<String> LIFECYCLE_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "sleep");
    private static final List<String> ENV_SOURCES = List.of("fieldRef", "resourceFieldRef", "configMapKeyRef",
            "secretKeyRef");

    private ContainerRules() {}

    /**
     * @param names   container names seen so far in this pod (init containers included); this one is added
     * @param volumes the pod's volume names, which volumeMounts must refer to
     */
    static void check(JsonNode c, String path, boolean init, Set<String> names, Set<String> volumes, Problems p) {
        if (c == null || !c.isObject()) return;
        String name = p.requiredText(c, "name", path + ".name");
        if (name != null) {
            p.name(path + ".name", Names.dns1123Label(name));
            if (!names.add(name)) p.error(path + ".name", "duplicate container name \"" + name + "\"");
        }
        p.requiredText(c, "image", path + ".image");
        p.oneOf(path + ".imagePullPolicy", Nodes.text(c, "imagePullPolicy"), "Always", "IfNotPresent", "Never");
        p.oneOf(path + ".terminationMessagePolicy", Nodes.text(c, "terminationMessagePolicy"), "File",
                "FallbackToLogsOnError");
        ports(c, path + ".ports", p);
        env(c, path, p);
        resources(Nodes.object(c, "resources"), path + ".resources", p);
        volumeMounts(c, path + ".volumeMounts", volumes, p);
        lifecycle(Nodes.object(c, "lifecycle"), path + ".lifecycle", p);

        String restartPolicy = Nodes.text(c, "restartPolicy");
        if (restartPolicy != null && !init) p.error(path + ".restartPolicy", "may only be set on init containers");
        else p.oneOf(path + ".restartPolicy", restartPolicy, "Always");
        boolean sidecar = "Always".equals(restartPolicy);
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            JsonNode probeNode = Nodes.object(c, probe);
            if (probeNode == null) continue;
            if (init && !sidecar) p.error(path + "." + probe, "may not be set for init containers");
            else probe(probeNode, path + "." + probe, !probe.equals("readinessProbe"), p);
            if (probeNode != null) namedProbePort(c, probeNode, path + "." + probe, p);
        }
    }

    /**
     * A probe that names its port ({@code port: http}) must name a port of its own container:
     * otherwise it could never pass, and the container would be restarted forever.
     */
    private static void namedProbePort(JsonNode container, JsonNode probe, String path, Problems p) {
        for (String handler : List.of("httpGet", "tcpSocket")) {
            JsonNode port = probe.path(handler).path("port");
            if (!port.isTextual()) continue;
            boolean declared = false;
            for (JsonNode cp : Nodes.items(container, "ports")) {
                if (port.asText().equals(Nodes.text(cp, "name"))) declared = true;
            }
            if (!declared) {
                p.error(path + "." + handler + ".port", "port \"" + port.asText()
                        + "\" is not the name of a port of this container (ports[].name)");
            }
        }
    }

    private static void ports(JsonNode c, String path, Problems p) {
        Set<String> portNames = new HashSet<>();
        List<JsonNode> ports = Nodes.items(c, "ports");
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String at = FieldLines.item(path, i);
            if (!Nodes.has(port, "containerPort")) p.required(at + ".containerPort");
            p.range(at + ".containerPort", Nodes.integer(port, "containerPort"), 1, 65535);
            p.range(at + ".hostPort", Nodes.integer(port, "hostPort"), 0, 65535);
            p.oneOf(at + ".protocol", Nodes.text(port, "protocol"), "TCP", "UDP", "SCTP");
            String name = Nodes.text(port, "name");
            if (name != null) {
                p.name(at + ".name", Names.ianaServiceName(name));
                if (!portNames.add(name)) p.error(at + ".name", "duplicate port name \"" + name + "\"");
            }
        }
    }

    private static void env(JsonNode c, String path, Problems p) {
        List<JsonNode> env = Nodes.items(c, "env");
        for (int i = 0; i < env.size(); i++) {
            JsonNode var = env.get(i);
            String at = FieldLines.item(path + ".env", i);
            String name = p.requiredText(var, "name", at + ".name");
            if (name != null) p.name(at + ".name", Names.envVarName(name));
            JsonNode valueFrom = Nodes.object(var, "valueFrom");
            if (valueFrom == null) continue;
            String value = Nodes.text(var, "value");
            if (value != null && !value.isEmpty()) p.error(at + ".valueFrom", "may not be set together with value");
            List<String> sources = present(valueFrom, ENV_SOURCES);
            if (sources.size() != 1) {
                p.error(at + ".valueFrom", "must specify exactly one of fieldRef, resourceFieldRef, configMapKeyRef "
                        + "or secretKeyRef" + (sources.isEmpty() ? "" : ", got " + String.join(", ", sources)));
            }
            for (String keyRef : List.of("configMapKeyRef", "secretKeyRef")) {
                JsonNode ref = Nodes.object(valueFrom, keyRef);
                if (ref != null) p.requiredText(ref, "key", at + ".valueFrom." + keyRef + ".key");
            }
            JsonNode fieldRef = Nodes.object(valueFrom, "fieldRef");
            if (fieldRef != null) p.requiredText(fieldRef, "fieldPath", at + ".valueFrom.fieldRef.fieldPath");
            JsonNode resourceRef = Nodes.object(valueFrom, "resourceFieldRef");
            if (resourceRef != null) p.requiredText(resourceRef, "resource", at + ".valueFrom.resourceFieldRef.resource");
        }
        List<JsonNode> envFrom = Nodes.items(c, "envFrom");
        for (int i = 0; i < envFrom.size(); i++) {
            String at = FieldLines.item(path + ".envFrom", i);
            List<String> sources = present(envFrom.get(i), List.of("configMapRef", "secretRef"));
            if (sources.size() != 1) p.error(at, "must specify exactly one of configMapRef or secretRef");
            for (String ref : sources) p.requiredText(envFrom.get(i).get(ref), "name", at + "." + ref + ".name");
            String prefix = Nodes.text(envFrom.get(i), "prefix");
            if (prefix != null && !prefix.isEmpty()) p.name(at + ".prefix", Names.envVarName(prefix));
        }
    }

    /** Every quantity must parse and not be negative; a request may not exceed the limit for the same resource. */
    static void resources(JsonNode resources, String path, Problems p) {
        JsonNode limits = Nodes.object(resources, "limits");
        JsonNode requests = Nodes.object(resources, "requests");
        quantities(limits, path + ".limits", p);
        quantities(requests, path + ".requests", p);
        if (limits == null || requests == null) return;
        requests.fields().forEachRemaining(request -> {
            String requested = Nodes.quantity(request.getValue());
            String limit = Nodes.quantity(limits.get(request.getKey()));
            if (!Quantity.isValid(requested) || !Quantity.isValid(limit)) return;
            if (Quantity.parse(requested).compareTo(Quantity.parse(limit)) > 0) {
                p.error(path + ".requests." + request.getKey(), "must be less than or equal to the "
                        + request.getKey() + " limit " + limit + ", got " + requested);
            }
        });
    }

    static void quantities(JsonNode map, String path, Problems p) {
        if (map == null) return;
        map.fields().forEachRemaining(e -> {
            String text = Nodes.quantity(e.getValue());
            if (text == null) return; // wrong type: reported by the schema check
            String at = path + "." + e.getKey();
            if (!Quantity.isValid(text)) p.error(at, Quantity.EXPECTED + ", got \"" + text + "\"");
            else if (Quantity.parse(text).compareTo(BigDecimal.ZERO) < 0) p.error(at, "must not be negative, got " + text);
        });
    }

    private static void volumeMounts(JsonNode c, String path, Set<String> volumes, Problems p) {
        Set<String> mountPaths = new HashSet<>();
        List<JsonNode> mounts = Nodes.items(c, "volumeMounts");
        for (int i = 0; i < mounts.size(); i++) {
            String at = FieldLines.item(path, i);
            String name = p.requiredText(mounts.get(i), "name", at + ".name");
            if (name != null && !volumes.contains(name)) p.error(at + ".name", "no volume named \"" + name + "\" in the pod");
            String mountPath = p.requiredText(mounts.get(i), "mountPath", at + ".mountPath");
            if (mountPath != null && !mountPaths.add(mountPath)) {
                p.error(at + ".mountPath", "duplicate mountPath \"" + mountPath + "\"");
            }
        }
    }

    private static void probe(JsonNode probe, String path, boolean successOnce, Problems p) {
        handler(probe, path, PROBE_HANDLERS, p);
        for (String field : List.of("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold",
                "successThreshold")) {
            p.atLeast(path + "." + field, Nodes.integer(probe, field), 0); // 0 means "use the default", as in Kubernetes
        }
        Long success = Nodes.integer(probe, "successThreshold");
        if (successOnce && success != null && success > 1) {
            p.error(path + ".successThreshold", "must be 1 for liveness and startup probes, got " + success);
        }
        JsonNode grpc = Nodes.object(probe, "grpc");
        if (grpc != null) {
            if (!Nodes.has(grpc, "port")) p.required(path + ".grpc.port");
            p.range(path + ".grpc.port", Nodes.integer(grpc, "port"), 1, 65535);
        }
    }

    private static void lifecycle(JsonNode lifecycle, String path, Problems p) {
        for (String hook : List.of("postStart", "preStop")) {
            JsonNode handler = Nodes.object(lifecycle, hook);
            if (handler != null) handler(handler, path + "." + hook, LIFECYCLE_HANDLERS, p);
        }
    }

    /** Probes and lifecycle hooks run exactly one action; checks it and the shared httpGet/tcpSocket/exec shapes. */
    private static void handler(JsonNode handler, String path, List<String> kinds, Problems p) {
        List<String> present = present(handler, kinds);
        if (present.size() != 1) {
            p.error(path, "must specify exactly one handler: " + String.join(", ", kinds)
                    + (present.isEmpty() ? "" : "; got " + String.join(", ", present)));
        }
        JsonNode httpGet = Nodes.object(handler, "httpGet");
        if (httpGet != null) {
            if (!Nodes.has(httpGet, "port")) p.required(path + ".httpGet.port");
            PodSpecRules.portNumberOrName(httpGet.get("port"), path + ".httpGet.port", p);
            p.oneOf(path + ".httpGet.scheme", Nodes.text(httpGet, "scheme"), "HTTP", "HTTPS");
        }
        JsonNode tcpSocket = Nodes.object(handler, "tcpSocket");
        if (tcpSocket != null) {
            if (!Nodes.has(tcpSocket, "port")) p.required(path + ".tcpSocket.port");
            PodSpecRules.portNumberOrName(tcpSocket.get("port"), path + ".tcpSocket.port", p);
        }
        JsonNode exec = Nodes.object(handler, "exec");
        if (exec != null && Nodes.items(exec, "command").isEmpty()) p.required(path + ".exec.command");
        JsonNode sleep = Nodes.object(handler, "sleep");
        if (sleep != null) p.atLeast(path + ".sleep.seconds", Nodes.integer(sleep, "seconds"), 0);
    }

    /** Which of the given fields are set (present and not null). */
    static List<String> present(JsonNode object, List<String> fields) {
        List<String> out = new ArrayList<>();
        for (String f : fields) if (Nodes.has(object, f)) out.add(f);
        return out;
    }
}

package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** Rules for an Ingress: rules, paths with their pathType, and backends. */
final class IngressRules {
    private IngressRules() {}

    static void check(JsonNode object, Problems p) {
        JsonNode spec = Nodes.object(object, "spec");
        if (spec == null) { if (!p.hasErrorAt("spec")) p.required("spec"); return; }
        List<JsonNode> rules = Nodes.items(spec, "rules");
        JsonNode defaultBackend = Nodes.object(spec, "defaultBackend");
        if (rules.isEmpty() && defaultBackend == null) p.error("spec", "either defaultBackend or rules must be specified");
        if (defaultBackend != null) backend(defaultBackend, "spec.defaultBackend", p);
        List<JsonNode> tls = Nodes.items(spec, "tls");
        for (int i = 0; i < tls.size(); i++) {
            List<JsonNode> hosts = Nodes.items(tls.get(i), "hosts");
            for (int h = 0; h < hosts.size(); h++) {
                host(hosts.get(h), FieldLines.item(FieldLines.item("spec.tls", i) + ".hosts", h), p);
            }
        }
        for (int i = 0; i < rules.size(); i++) {
            String at = FieldLines.item("spec.rules", i);
            host(rules.get(i).get("host"), at + ".host", p);
            JsonNode http = Nodes.object(rules.get(i), "http");
            if (http == null) continue;
            List<JsonNode> paths = Nodes.items(http, "paths");
            if (paths.isEmpty() && !p.hasErrorAt(at + ".http.paths")) p.error(at + ".http.paths", "at least one path is required");
            for (int j = 0; j < paths.size(); j++) path(paths.get(j), FieldLines.item(at + ".http.paths", j), p);
        }
    }

    private static void path(JsonNode path, String at, Problems p) {
        String pathType = p.requiredText(path, "pathType", at + ".pathType");
        p.oneOf(at + ".pathType", pathType, "Exact", "Prefix", "ImplementationSpecific");
        String value = Nodes.text(path, "path");
        if (value != null && !value.startsWith("/") && !"ImplementationSpecific".equals(pathType)) {
            p.error(at + ".path", "must be an absolute path (starting with '/'), got \"" + value + "\"");
        }
        JsonNode backend = Nodes.object(path, "backend");
        if (backend == null) { if (!p.hasErrorAt(at + ".backend")) p.required(at + ".backend"); }
        else backend(backend, at + ".backend", p);
    }

    /** A backend is a Service (name and port number or name) or a resource reference, never both. */
    private static void backend(JsonNode backend, String at, Problems p) {
        JsonNode service = Nodes.object(backend, "service");
        JsonNode resource = Nodes.object(backend, "resource");
        if ((service == null) == (resource == null)) {
            p.error(at, "must specify exactly one of service or resource");
        }
        if (service != null) {
            String name = p.requiredText(service, "name", at + ".service.name");
            if (name != null) p.name(at + ".service.name", Names.dns1035Label(name));
            JsonNode port = Nodes.object(service, "port");
            if (port == null) {
                if (!p.hasErrorAt(at + ".service.port")) p.required(at + ".service.port");
                return;
            }
            boolean hasNumber = Nodes.has(port, "number");
            boolean hasName = Nodes.has(port, "name");
            if (hasNumber == hasName) p.error(at + ".service.port", "must specify exactly one of number or name");
            p.range(at + ".service.port.number", Nodes.integer(port, "number"), 1, 65535);
            String portName = Nodes.text(port, "name");
            if (portName != null) p.name(at + ".service.port.name", Names.ianaServiceName(portName));
        }
        if (resource != null) {
            p.requiredText(resource, "kind", at + ".resource.kind");
            p.requiredText(resource, "name", at + ".resource.name");
        }
    }

    /** Hosts are DNS names, optionally with one leading wildcard label ({@code *.example.com}); no IPs, no ports. */
    private static void host(JsonNode host, String at, Problems p) {
        if (host == null || !host.isTextual() || host.asText().isEmpty()) return;
        String name = host.asText();
        String checked = name.startsWith("*.") ? name.substring(2) : name;
        String problem = Names.dns1123Subdomain(checked);
        if (problem != null) {
            p.error(at, "\"" + name + "\" is not a valid host name: lowercase letters, digits, '-' and '.', "
                    + "optionally starting with '*.'");
        } else if (checked.matches("[0-9.]+")) {
            p.error(at, "must be a DNS name, not an IP address, got \"" + name + "\"");
        }
    }
}

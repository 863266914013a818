package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Rules for a Service: type, ports (port, targetPort, nodePort, names), selector. */
final class ServiceRules {
    private ServiceRules() {}

    static void check(JsonNode object, Problems p) {
        JsonNode spec = Nodes.object(object, "spec");
        if (spec == null) { if (!p.hasErrorAt("spec")) p.required("spec"); return; }
        String type = Nodes.text(spec, "type");
        p.oneOf("spec.type", type, "ClusterIP", "NodePort", "LoadBalancer", "ExternalName");
        boolean externalName = "ExternalName".equals(type);
        boolean nodePortsAllowed = "NodePort".equals(type) || "LoadBalancer".equals(type);
        if (externalName) {
            String name = p.requiredText(spec, "externalName", "spec.externalName");
            if (name != null) p.name("spec.externalName", Names.dns1123Subdomain(name));
        }
        String affinity = Nodes.text(spec, "sessionAffinity");
        p.oneOf("spec.sessionAffinity", affinity, "None", "ClientIP");
        if (Nodes.object(spec, "sessionAffinityConfig") != null && !"ClientIP".equals(affinity)) {
            p.error("spec.sessionAffinityConfig", "must not be set when sessionAffinity is " + (affinity == null ? "None" : affinity));
        }
        p.range("spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                Nodes.integer(Nodes.object(Nodes.object(spec, "sessionAffinityConfig"), "clientIP"), "timeoutSeconds"), 1, 86_400);
        p.oneOf("spec.externalTrafficPolicy", Nodes.text(spec, "externalTrafficPolicy"), "Cluster", "Local");
        p.oneOf("spec.internalTrafficPolicy", Nodes.text(spec, "internalTrafficPolicy"), "Cluster", "Local");
        MetadataRules.labelMap(Nodes.object(spec, "selector"), "spec.selector", p);

        List<JsonNode> ports = Nodes.items(spec, "ports");
        boolean headless = "None".equals(Nodes.text(spec, "clusterIP"));
        if (ports.isEmpty() && !externalName && !headless && !p.hasErrorAt("spec.ports")) {
            p.error("spec.ports", "at least one port is required");
        }
        Set<String> names = new HashSet<>();
        Set<String> portProtocols = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String at = FieldLines.item("spec.ports", i);
            String name = Nodes.text(port, "name");
            if (ports.size() > 1 && (name == null || name.isEmpty()) && !p.hasErrorAt(at + ".name")) {
                p.error(at + ".name", "required when a Service has more than one port");
            }
            if (name != null && !name.isEmpty()) {
                p.name(at + ".name", Names.dns1123Label(name));
                if (!names.add(name)) p.error(at + ".name", "duplicate port name \"" + name + "\"");
            }
            Long number = Nodes.integer(port, "port");
            if (!Nodes.has(port, "port")) p.required(at + ".port");
            p.range(at + ".port", number, 1, 65535);
            String protocol = Nodes.text(port, "protocol");
            p.oneOf(at + ".protocol", protocol, "TCP", "UDP", "SCTP");
            if (number != null && !portProtocols.add(number + "/" + (protocol == null ? "TCP" : protocol))) {
                p.error(at, "duplicate port " + number + "/" + (protocol == null ? "TCP" : protocol));
            }
            PodSpecRules.portNumberOrName(port.get("targetPort"), at + ".targetPort", p);
            Long nodePort = Nodes.integer(port, "nodePort");
            if (nodePort != null && nodePort != 0) {
                if (!nodePortsAllowed) {
                    p.error(at + ".nodePort", "may only be set when type is NodePort or LoadBalancer");
                } else {
                    p.range(at + ".nodePort", nodePort, 30000, 32767);
                }
            }
        }
    }
}

package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for a NetworkPolicy, as the API server checks them: the pod selector, the policy types,
 * each rule's ports and peers. mo stores a valid policy and does not enforce it (see
 * {@link SupportedFields#STORED_ONLY}); it is checked anyway, so a manifest that a cluster
 * would refuse is refused here too.
 */
final class NetworkPolicyRules {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private NetworkPolicyRules() {}

    static void check(JsonNode object, Problems p) {
        JsonNode spec = Nodes.object(object, "spec");
        if (spec == null) { if (!p.hasErrorAt("spec")) p.required("spec"); return; }
        JsonNode podSelector = Nodes.object(spec, "podSelector");
        if (podSelector == null) { if (!p.hasErrorAt("spec.podSelector")) p.required("spec.podSelector"); }
        else Selectors.check(podSelector, "spec.podSelector", p);

        List<JsonNode> types = Nodes.items(spec, "policyTypes");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < types.size(); i++) {
            String at = FieldLines.item("spec.policyTypes", i);
            String type = types.get(i).isTextual() ? types.get(i).asText() : null;
            p.oneOf(at, type, "Ingress", "Egress");
            if (type != null && !seen.add(type)) p.error(at, "duplicate policy type \"" + type + "\"");
        }
        rules(spec, "ingress", "from", p);
        rules(spec, "egress", "to", p);
    }

    private static void rules(JsonNode spec, String direction, String peersField, Problems p) {
        List<JsonNode> rules = Nodes.items(spec, direction);
        for (int i = 0; i < rules.size(); i++) {
            String at = FieldLines.item("spec." + direction, i);
            List<JsonNode> ports = Nodes.items(rules.get(i), "ports");
            for (int j = 0; j < ports.size(); j++) port(ports.get(j), FieldLines.item(at + ".ports", j), p);
            List<JsonNode> peers = Nodes.items(rules.get(i), peersField);
            for (int j = 0; j < peers.size(); j++) peer(peers.get(j), FieldLines.item(at + "." + peersField, j), p);
        }
    }

    private static void port(JsonNode port, String at, Problems p) {
        p.oneOf(at + ".protocol", Nodes.text(port, "protocol"), "TCP", "UDP", "SCTP");
        JsonNode value = port.get("port");
        Long endPort = Nodes.integer(port, "endPort");
        if (value != null && value.isIntegralNumber()) {
            p.range(at + ".port", value.asLong(), 1, 65535);
            if (endPort != null && endPort < value.asLong()) {
                p.error(at + ".endPort", "must be greater than or equal to port (" + value.asLong() + "), got " + endPort);
            }
        } else if (value != null && value.isTextual()) {
            p.name(at + ".port", Names.ianaServiceName(value.asText()));
            if (endPort != null) p.error(at + ".endPort", "may not be set when port is a name");
        } else if (endPort != null) {
            p.error(at + ".endPort", "may not be set without a port");
        }
        p.range(at + ".endPort", endPort, 1, 65535);
    }

    /** A peer is pods (by pod and/or namespace selector) or an address block, never both, never neither. */
    private static void peer(JsonNode peer, String at, Problems p) {
        JsonNode pods = Nodes.object(peer, "podSelector");
        JsonNode namespaces = Nodes.object(peer, "namespaceSelector");
        JsonNode block = Nodes.object(peer, "ipBlock");
        if (pods != null) Selectors.check(pods, at + ".podSelector", p);
        if (namespaces != null) Selectors.check(namespaces, at + ".namespaceSelector", p);
        if (block != null && (pods != null || namespaces != null)) {
            p.error(at, "may not specify more than 1 peer type: ipBlock cannot go with podSelector or namespaceSelector");
        } else if (block == null && pods == null && namespaces == null) {
            p.error(at, "must specify a peer: podSelector, namespaceSelector or ipBlock");
        }
        if (block == null) return;
        String cidr = p.requiredText(block, "cidr", at + ".ipBlock.cidr");
        if (cidr != null) cidr(cidr, at + ".ipBlock.cidr", p);
        List<JsonNode> except = Nodes.items(block, "except");
        for (int i = 0; i < except.size(); i++) {
            if (except.get(i).isTextual()) cidr(except.get(i).asText(), FieldLines.item(at + ".ipBlock.except", i), p);
        }
    }

    /** {@code 10.0.0.0/16} or {@code fd00::/8}: an address literal and a prefix length that fits it. */
    private static void cidr(String value, String at, Problems p) {
        int slash = value.indexOf('/');
        int bits = slash < 0 ? -1 : address(value.substring(0, slash));
        Integer prefix = slash < 0 ? null : prefixLength(value.substring(slash + 1));
        if (bits < 0 || prefix == null || prefix > bits) {
            p.error(at, "must be a valid CIDR such as 10.0.0.0/16 or fd00::/8, got \"" + value + "\"");
        }
    }

    /** The address's length in bits (32 or 128), or -1 when it is no IP address literal. */
    private static int address(String text) {
        var v4 = IPV4.matcher(text);
        if (v4.matches()) {
            for (int g = 1; g <= 4; g++) if (Integer.parseInt(v4.group(g)) > 255) return -1;
            return 32;
        }
        if (!IPV6.matcher(text).matches()) return -1;
        try {
            // In brackets it can only be an IPv6 literal: parsed, never looked up.
            java.net.InetAddress.getByName("[" + text + "]");
            return 128;
        } catch (java.net.UnknownHostException e) {
            return -1;
        }
    }

    private static Integer prefixLength(String text) {
        if (!text.matches("\\d{1,3}")) return null;
        return Integer.parseInt(text);
    }
}

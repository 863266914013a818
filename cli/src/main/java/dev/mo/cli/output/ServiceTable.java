package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get services}. */
final class ServiceTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return KindTable.plusWide(wide, List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"),
                List.of("SELECTOR"));
    }

    @Override
    public List<String> row(ObjectNode svc, boolean wide, Clock clock) {
        List<String> clusterIPs = clusterIPs(svc);
        List<String> base = List.of(str(svc, "metadata.name"), type(svc),
                clusterIPs.isEmpty() ? "<none>" : clusterIPs.get(0),
                externalIP(svc, wide), orNone(ports(svc)), age(svc, clock));
        return KindTable.plusWide(wide, base, List.of(formatLabels(Json.stringMap(svc, "spec.selector"))));
    }

    static String type(JsonNode svc) {
        return str(svc, "spec.type", "ClusterIP");
    }

    /** {@code spec.clusterIPs}, or the single {@code spec.clusterIP} when only that is set. */
    static List<String> clusterIPs(JsonNode svc) {
        List<String> ips = new ArrayList<>();
        list(svc, "spec.clusterIPs").forEach(ip -> ips.add(ip.asText()));
        if (ips.isEmpty() && !str(svc, "spec.clusterIP").isEmpty()) ips.add(str(svc, "spec.clusterIP"));
        return ips;
    }

    /** kubectl's {@code makePortString}: {@code 80/TCP}, {@code 80:30080/TCP}. */
    static String ports(JsonNode svc) {
        List<String> pieces = new ArrayList<>();
        for (JsonNode p : list(svc, "spec.ports")) {
            String protocol = str(p, "protocol", "TCP");
            long nodePort = num(p, "nodePort", 0);
            pieces.add(nodePort > 0 ? num(p, "port", 0) + ":" + nodePort + "/" + protocol : num(p, "port", 0) + "/" + protocol);
        }
        return String.join(",", pieces);
    }

    /** kubectl's {@code getServiceExternalIP}. */
    static String externalIP(JsonNode svc, boolean wide) {
        List<String> externalIPs = new ArrayList<>();
        list(svc, "spec.externalIPs").forEach(ip -> externalIPs.add(ip.asText()));
        switch (type(svc)) {
            case "ClusterIP", "NodePort":
                return externalIPs.isEmpty() ? "<none>" : String.join(",", externalIPs);
            case "LoadBalancer":
                String lb = loadBalancerIngress(svc.path("status").path("loadBalancer"), wide);
                if (!externalIPs.isEmpty()) {
                    List<String> all = new ArrayList<>();
                    if (!lb.isEmpty()) all.addAll(List.of(lb.split(",")));
                    all.addAll(externalIPs);
                    return String.join(",", all);
                }
                return lb.isEmpty() ? "<pending>" : lb;
            case "ExternalName":
                return str(svc, "spec.externalName");
            default:
                return "<unknown>";
        }
    }
}

package dev.mo.agent.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Meta;
import dev.mo.model.PodAddresses;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's {@code /etc/hosts}: the usual loopback lines, the pod's own name, and one line per
 * Service with a cluster IP. A Service of the pod's own namespace also answers to its short
 * name, as the DNS search path makes it in Kubernetes:
 * <pre>
 *   10.96.0.12  web web.shop web.shop.svc.cluster.local        (for a pod in shop)
 *   10.96.0.12  web.shop web.shop.svc.cluster.local            (for a pod elsewhere)
 * </pre>
 * A headless Service has no cluster IP: its pods' own addresses ({@link PodAddresses}) stand
 * in for the pod IPs Kubernetes' DNS would give. A pod whose {@code hostname} the Endpoints
 * carry (a StatefulSet's, with {@code subdomain} = the Service) is named on its own line, and
 * the Service's name goes to each of its pods; only pods that get traffic (ready, or any with
 * {@code publishNotReadyAddresses}) are listed:
 * <pre>
 *   10.244.31.7  db-0.db db-0.db.shop db-0.db.shop.svc.cluster.local
 *   10.244.31.7  db db.shop db.shop.svc.cluster.local
 * </pre>
 */
public final class HostsFile {
    public static final String CLUSTER_DOMAIN = "svc.cluster.local";

    private HostsFile() {}

    public static String render(String hostname, String namespace, List<ObjectNode> services) {
        return render(hostname, namespace, services, List.of());
    }

    public static String render(String hostname, String namespace, List<ObjectNode> services, List<ObjectNode> endpoints) {
        StringBuilder out = new StringBuilder();
        out.append("# Written by the mo agent; Service names are kept current while the pod runs.\n");
        out.append("127.0.0.1\tlocalhost\n");
        out.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        // The pod's own name resolves, as Debian does it, to a loopback address of its own.
        out.append("127.0.1.1\t").append(hostname).append('\n');
        Map<String, ObjectNode> endpointsByName = new HashMap<>();
        for (ObjectNode e : endpoints) endpointsByName.put(Meta.namespace(e) + "/" + Meta.name(e), e);
        for (ObjectNode s : services) {
            String ip = Json.text(s, "spec.clusterIP");
            String name = Meta.name(s), ns = Meta.namespace(s);
            if (PodAddresses.headless(s)) {
                podLines(out, s, endpointsByName.get(ns + "/" + name), namespace);
                continue;
            }
            if (ip == null || ip.isEmpty()) continue;
            line(out, ip, name, ns, namespace);
        }
        return out.toString();
    }

    private static void podLines(StringBuilder out, ObjectNode service, ObjectNode endpoints, String namespace) {
        Map<String, String> addresses = PodAddresses.of(endpoints);
        if (addresses.isEmpty()) return;
        String name = Meta.name(service), ns = Meta.namespace(service);
        for (JsonNode subset : Json.at(endpoints, "subsets")) {
            String ip = addresses.get(String.valueOf(PodAddresses.podOf(subset)));
            List<JsonNode> served = PodAddresses.served(service, subset);
            if (ip == null || served.isEmpty()) continue;
            String podHostname = served.get(0).path("hostname").asText("");
            if (!podHostname.isEmpty()) line(out, ip, podHostname + "." + name, ns, namespace);
            line(out, ip, name, ns, namespace);
        }
    }

    /** {@code IP [NAME ]NAME.NS NAME.NS.svc.cluster.local}: the short name only within its own namespace. */
    private static void line(StringBuilder out, String ip, String name, String ns, String podNamespace) {
        out.append(ip).append('\t');
        if (ns.equals(podNamespace)) out.append(name).append(' ');
        out.append(name).append('.').append(ns).append(' ')
                .append(name).append('.').append(ns).append('.').append(CLUSTER_DOMAIN).append('\n');
    }
}

package dev.mo.agent.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Meta;

import java.util.List;

/**
 * A pod's {@code /etc/hosts}: the usual loopback lines, the pod's own name, and one line per
 * Service with a cluster IP. A Service of the pod's own namespace also answers to its short
 * name, as the DNS search path makes it in Kubernetes:
 * <pre>
 *   10.96.0.12  web web.shop web.shop.svc.cluster.local        (for a pod in shop)
 *   10.96.0.12  web.shop web.shop.svc.cluster.local            (for a pod elsewhere)
 * </pre>
 */
public final class HostsFile {
    public static final String CLUSTER_DOMAIN = "svc.cluster.local";

    private HostsFile() {}

    public static String render(String hostname, String namespace, List<ObjectNode> services) {
        StringBuilder out = new StringBuilder();
        out.append("# Written by the mo agent; Service names are kept current while the pod runs.\n");
        out.append("127.0.0.1\tlocalhost\n");
        out.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        // The pod's own name resolves, as Debian does it, to a loopback address of its own.
        out.append("127.0.1.1\t").append(hostname).append('\n');
        for (ObjectNode s : services) {
            String ip = Json.text(s, "spec.clusterIP");
            if (ip == null || ip.isEmpty() || ip.equals("None")) continue;
            String name = Meta.name(s), ns = Meta.namespace(s);
            out.append(ip).append('\t');
            if (ns.equals(namespace)) out.append(name).append(' ');
            out.append(name).append('.').append(ns).append(' ')
                    .append(name).append('.').append(ns).append('.').append(CLUSTER_DOMAIN).append('\n');
        }
        return out.toString();
    }
}

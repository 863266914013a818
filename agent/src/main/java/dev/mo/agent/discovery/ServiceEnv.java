package dev.mo.agent.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Meta;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variables Kubernetes gives a container for every Service of its namespace that exists
 * when the container starts. For Service {@code web} (10.96.0.12, port 80 named http):
 * <pre>
 *   WEB_SERVICE_HOST=10.96.0.12      WEB_SERVICE_PORT=80      WEB_SERVICE_PORT_HTTP=80
 *   WEB_PORT=tcp://10.96.0.12:80     WEB_PORT_80_TCP=tcp://10.96.0.12:80
 *   WEB_PORT_80_TCP_PROTO=tcp        WEB_PORT_80_TCP_PORT=80  WEB_PORT_80_TCP_ADDR=10.96.0.12
 * </pre>
 */
public final class ServiceEnv {
    private ServiceEnv() {}

    public static Map<String, String> forNamespace(String namespace, List<ObjectNode> services) {
        Map<String, String> env = new LinkedHashMap<>();
        for (ObjectNode s : services) {
            String ip = Json.text(s, "spec.clusterIP");
            if (!namespace.equals(Meta.namespace(s)) || ip == null || ip.equals("None")) continue;
            String prefix = Meta.name(s).toUpperCase(Locale.ROOT).replace('-', '_');
            JsonNode ports = Json.at(s, "spec.ports");
            if (ports.isEmpty()) continue;
            env.put(prefix + "_SERVICE_HOST", ip);
            env.put(prefix + "_SERVICE_PORT", ports.get(0).path("port").asText());
            for (JsonNode p : ports) {
                String port = p.path("port").asText();
                String proto = p.path("protocol").asText("TCP").toLowerCase(Locale.ROOT);
                if (p.hasNonNull("name") && !p.get("name").asText().isEmpty()) {
                    env.put(prefix + "_SERVICE_PORT_" + p.get("name").asText().toUpperCase(Locale.ROOT).replace('-', '_'), port);
                }
                String base = prefix + "_PORT_" + port + "_" + proto.toUpperCase(Locale.ROOT);
                env.put(base, proto + "://" + ip + ":" + port);
                env.put(base + "_PROTO", proto);
                env.put(base + "_PORT", port);
                env.put(base + "_ADDR", ip);
            }
            JsonNode first = ports.get(0);
            env.put(prefix + "_PORT", first.path("protocol").asText("TCP").toLowerCase(Locale.ROOT) + "://" + ip + ":"
                    + first.path("port").asText());
        }
        return env;
    }
}

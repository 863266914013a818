package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.NodeApi;
import dev.mo.model.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds a container's environment as the kubelet does: first {@code envFrom} (whole ConfigMaps
 * or Secrets, keys optionally prefixed), then {@code env} (literal values or single keys), later
 * entries overriding earlier ones. Secret values are base64 in {@code data} (or plain in
 * {@code stringData}); {@code fieldRef} and {@code resourceFieldRef} come from the pod itself
 * ({@link DownwardApi}). {@code $(VAR)} in values, command and args expands to variables defined
 * before; {@code $$(VAR)} escapes to a literal {@code $(VAR)}; unknown variables stay as written.
 */
public final class EnvResolver {
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    /** Reads ConfigMaps and Secrets; {@link NodeApi#getConfigObject} fits. */
    @FunctionalInterface
    public interface ConfigSource {
        ObjectNode get(String kindPlural, String namespace, String name);
    }

    private final ConfigSource source;

    public EnvResolver(ConfigSource source) {
        this.source = source;
    }

    /** Where the pod runs: what {@code fieldRef} and {@code resourceFieldRef} may ask about the node. */
    public record Node(String hostIp, int cpuCores, long memoryBytes) {}

    /** The container's environment, in order. */
    public Map<String, String> resolve(ObjectNode pod, JsonNode container, Node node) throws ContainerConfigException {
        String namespace = Json.text(pod, "metadata.namespace");
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            boolean secret = from.has("secretRef");
            JsonNode ref = secret ? from.path("secretRef") : from.path("configMapRef");
            ObjectNode obj = fetch(secret, namespace, ref.path("name").asText());
            if (obj == null) {
                if (ref.path("optional").asBoolean(false)) continue;
                throw notFound(secret, ref.path("name").asText());
            }
            values(obj, secret).forEach((k, v) -> {
                if (ENV_NAME.matcher(prefix + k).matches()) env.put(prefix + k, v); // Kubernetes skips invalid names
            });
        }
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            JsonNode valueFrom = e.path("valueFrom");
            if (valueFrom.isMissingNode()) {
                env.put(name, expand(e.path("value").asText(""), env));
                continue;
            }
            if (valueFrom.has("fieldRef")) {
                env.put(name, DownwardApi.field(pod, valueFrom.path("fieldRef").path("fieldPath").asText(), node.hostIp()));
                continue;
            }
            if (valueFrom.has("resourceFieldRef")) {
                env.put(name, DownwardApi.resource(container, valueFrom.path("resourceFieldRef"), node.cpuCores(), node.memoryBytes()));
                continue;
            }
            boolean secret = valueFrom.has("secretKeyRef");
            JsonNode ref = secret ? valueFrom.path("secretKeyRef") : valueFrom.path("configMapKeyRef");
            String objName = ref.path("name").asText();
            String key = ref.path("key").asText();
            boolean optional = ref.path("optional").asBoolean(false);
            ObjectNode obj = fetch(secret, namespace, objName);
            if (obj == null) {
                if (optional) continue;
                throw notFound(secret, objName);
            }
            String value = values(obj, secret).get(key);
            if (value == null) {
                if (optional) continue;
                throw new ContainerConfigException("couldn't find key " + key + " in "
                        + (secret ? "Secret " : "ConfigMap ") + namespace + "/" + objName);
            }
            env.put(name, value);
        }
        return env;
    }

    /** {@code command} or {@code args} with {@code $(VAR)} expanded; null when the field is absent. */
    public static List<String> expandAll(JsonNode list, Map<String, String> env) {
        if (list == null || !list.isArray()) return null;
        List<String> out = new ArrayList<>();
        for (JsonNode n : list) out.add(expand(n.asText(), env));
        return out;
    }

    /** Kubernetes' {@code $(VAR)} expansion. */
    public static String expand(String s, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '$') {
                out.append('$'); // "$$" is an escaped "$"
                i += 2;
            } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                int close = s.indexOf(')', i + 2);
                if (close < 0) {
                    out.append(s, i, s.length());
                    break;
                }
                String name = s.substring(i + 2, close);
                String value = env.get(name);
                out.append(value != null ? value : s.substring(i, close + 1));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private ObjectNode fetch(boolean secret, String namespace, String name) {
        return source.get(secret ? "secrets" : "configmaps", namespace, name);
    }

    private static ContainerConfigException notFound(boolean secret, String name) {
        return new ContainerConfigException((secret ? "secret \"" : "configmap \"") + name + "\" not found");
    }

    /** A ConfigMap's {@code data}, or a Secret's decoded {@code data} plus {@code stringData}. */
    private static Map<String, String> values(ObjectNode obj, boolean secret) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!secret) {
            out.putAll(Json.stringMap(obj, "data"));
            return out;
        }
        Json.stringMap(obj, "data").forEach((k, v) -> {
            try {
                out.put(k, new String(Base64.getDecoder().decode(v.strip()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notBase64) {
                out.put(k, v); // stored already decoded: take it as it is
            }
        });
        out.putAll(Json.stringMap(obj, "stringData"));
        return out;
    }
}

package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Rules for ConfigMap and Secret data: keys, base64 values, required keys of typed Secrets, total size. */
final class ConfigDataRules {
    /** Kubernetes (etcd) refuses ConfigMaps and Secrets over 1 MiB. */
    private static final int MAX_SIZE = 1024 * 1024;

    /** Secret types whose keys Kubernetes requires. */
    private static final Map<String, List<String>> REQUIRED_SECRET_KEYS = Map.of(
            "kubernetes.io/tls", List.of("tls.crt", "tls.key"),
            "kubernetes.io/dockerconfigjson", List.of(".dockerconfigjson"),
            "kubernetes.io/dockercfg", List.of(".dockercfg"),
            "kubernetes.io/ssh-auth", List.of("ssh-privatekey"));

    private ConfigDataRules() {}

    static void configMap(JsonNode object, Problems p) {
        JsonNode data = Nodes.object(object, "data");
        JsonNode binaryData = Nodes.object(object, "binaryData");
        keys(data, "data", p);
        keys(binaryData, "binaryData", p);
        base64Values(binaryData, "binaryData", p);
        if (data != null && binaryData != null) {
            binaryData.fieldNames().forEachRemaining(key -> {
                if (data.has(key)) p.error("binaryData." + key, "duplicate of key \"" + key + "\" in data");
            });
        }
        size(object, p, data, binaryData);
    }

    static void secret(JsonNode object, Problems p) {
        JsonNode data = Nodes.object(object, "data");
        JsonNode stringData = Nodes.object(object, "stringData");
        keys(data, "data", p);
        keys(stringData, "stringData", p);
        base64Values(data, "data", p);
        String type = Nodes.text(object, "type");
        List<String> requiredKeys = type == null ? List.of() : REQUIRED_SECRET_KEYS.getOrDefault(type, List.of());
        for (String key : requiredKeys) {
            if (!Nodes.has(data, key) && !Nodes.has(stringData, key)) {
                p.error(data != null ? "data" : "type", "a Secret of type " + type + " needs the key \"" + key + "\"");
            }
        }
        size(object, p, data, stringData);
    }

    private static void keys(JsonNode map, String path, Problems p) {
        if (map == null) return;
        map.fieldNames().forEachRemaining(key -> p.name(path + "." + key, Names.configKey(key)));
    }

    private static void base64Values(JsonNode map, String path, Problems p) {
        if (map == null) return;
        map.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) return;
            try {
                // Go's decoder, which Kubernetes uses, skips line breaks; Java's strict decoder does not.
                Base64.getDecoder().decode(e.getValue().asText().replace("\n", "").replace("\r", ""));
            } catch (IllegalArgumentException ex) {
                p.error(path + "." + e.getKey(), "must be base64-encoded (put plain text in stringData instead)");
            }
        });
    }

    private static void size(JsonNode object, Problems p, JsonNode... maps) {
        long total = 0;
        for (JsonNode map : maps) {
            if (map == null) continue;
            for (var it = map.fields(); it.hasNext(); ) {
                var e = it.next();
                total += e.getKey().length() + e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (total > MAX_SIZE) {
            p.error("", Nodes.text(object, "kind") + " data is " + total + " bytes; the limit is " + MAX_SIZE + " bytes");
        }
    }
}

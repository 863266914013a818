package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.model.Kind;

/** Rules for {@code metadata}: the name each kind allows, the namespace, labels and annotations. */
final class MetadataRules {
    private MetadataRules() {}

    static void check(JsonNode object, Kind kind, Problems p) {
        JsonNode metadata = Nodes.object(object, "metadata");
        String name = Nodes.text(metadata, "name");
        boolean wrongType = name == null && Nodes.has(metadata, "name"); // already reported by the schema check
        if (!wrongType && (name == null || name.isEmpty())) {
            p.error("metadata.name", Nodes.has(metadata, "generateName")
                    ? "required (mo does not support generateName)" : "required");
        } else if (name != null) {
            p.name("metadata.name", nameRule(kind, name));
        }
        String namespace = Nodes.text(metadata, "namespace");
        if (namespace != null && !namespace.isEmpty() && kind.namespaced()) {
            p.name("metadata.namespace", Names.dns1123Label(namespace));
        }
        labels(metadata, "metadata", p);
        annotations(metadata, "metadata", p);
    }

    /**
     * Kubernetes names most objects as DNS subdomains, but a Namespace name is a DNS label and a
     * Service name a DNS-1035 label (it becomes a DNS name and environment variable prefix).
     */
    static String nameRule(Kind kind, String name) {
        return switch (kind) {
            case NAMESPACE -> Names.dns1123Label(name);
            case SERVICE -> Names.dns1035Label(name);
            default -> Names.dns1123Subdomain(name);
        };
    }

    /** Checks {@code labels} of a metadata object found at {@code metadataPath}. */
    static void labels(JsonNode metadata, String metadataPath, Problems p) {
        JsonNode labels = Nodes.object(metadata, "labels");
        if (labels == null) return;
        labels.fields().forEachRemaining(e -> {
            String path = metadataPath + ".labels." + e.getKey();
            p.name(path, Names.qualifiedName(e.getKey()));
            if (e.getValue().isTextual()) p.name(path, Names.labelValue(e.getValue().asText()));
        });
    }

    static void annotations(JsonNode metadata, String metadataPath, Problems p) {
        JsonNode annotations = Nodes.object(metadata, "annotations");
        if (annotations == null) return;
        annotations.fieldNames().forEachRemaining(key ->
                p.name(metadataPath + ".annotations." + key, Names.qualifiedName(key)));
    }

    /** A map of label key to value, such as a Service's {@code spec.selector}. */
    static void labelMap(JsonNode map, String path, Problems p) {
        if (map == null || !map.isObject()) return;
        map.fields().forEachRemaining(e -> {
            p.name(path + "." + e.getKey(), Names.qualifiedName(e.getKey()));
            if (e.getValue().isTextual()) p.name(path + "." + e.getKey(), Names.labelValue(e.getValue().asText()));
        });
    }
}

package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.List;

/** Rules for a PersistentVolumeClaim spec, in a PVC object or a StatefulSet's volumeClaimTemplates. */
final class PvcRules {
    private PvcRules() {}

    static void check(JsonNode spec, String path, Problems p) {
        if (spec == null) {
            if (!p.hasErrorAt(path)) p.required(path);
            return;
        }
        List<JsonNode> modes = Nodes.items(spec, "accessModes");
        if (modes.isEmpty() && !p.hasErrorAt(path + ".accessModes")) {
            p.error(path + ".accessModes", "at least one access mode is required (e.g. ReadWriteOnce)");
        }
        for (int i = 0; i < modes.size(); i++) {
            p.oneOf(FieldLines.item(path + ".accessModes", i), modes.get(i).isTextual() ? modes.get(i).asText() : null,
                    "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");
        }
        p.oneOf(path + ".volumeMode", Nodes.text(spec, "volumeMode"), "Filesystem", "Block");
        JsonNode resources = Nodes.object(spec, "resources");
        ContainerRules.resources(resources, path + ".resources", p);
        JsonNode requests = Nodes.object(resources, "requests");
        String storage = Nodes.quantity(requests == null ? null : requests.get("storage"));
        String storagePath = path + ".resources.requests.storage";
        if (storage == null) {
            if (!p.hasErrorAt(storagePath)) p.required(storagePath);
        } else if (Quantity.isValid(storage) && Quantity.parse(storage).compareTo(BigDecimal.ZERO) <= 0) {
            p.error(storagePath, "must be greater than zero, got " + storage);
        }
        JsonNode selector = Nodes.object(spec, "selector");
        if (selector != null) Selectors.check(selector, path + ".selector", p);
    }
}

package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get persistentvolumeclaims}; wide adds VOLUMEMODE. */
final class PersistentVolumeClaimTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return KindTable.plusWide(wide, List.of("NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS", "AGE"), List.of("VOLUMEMODE"));
    }

    @Override
    public List<String> row(ObjectNode pvc, boolean wide, Clock clock) {
        String phase = has(pvc, "metadata.deletionTimestamp") ? "Terminating" : str(pvc, "status.phase");
        String volume = str(pvc, "spec.volumeName");
        String capacity = "";
        String accessModes = "";
        if (!volume.isEmpty()) {
            accessModes = accessModes(pvc.path("status").path("accessModes"));
            capacity = str(pvc, "status.capacity.storage");
        }
        String storageClass = str(pvc, "spec.storageClassName");
        if (storageClass.isEmpty()) storageClass = pvc.path("metadata").path("annotations")
                .path("volume.beta.kubernetes.io/storage-class").asText("");
        String attributesClass = has(pvc, "spec.volumeAttributesClassName") ? str(pvc, "spec.volumeAttributesClassName") : "<unset>";
        List<String> base = List.of(str(pvc, "metadata.name"), phase, volume, capacity, accessModes, storageClass,
                attributesClass, age(pvc, clock));
        return KindTable.plusWide(wide, base, List.of(str(pvc, "spec.volumeMode", "<unset>")));
    }

    /** Always in the order RWO,ROX,RWX,RWOP. */
    static String accessModes(JsonNode modes) {
        Set<String> present = new HashSet<>();
        modes.forEach(m -> present.add(m.asText()));
        List<String> out = new ArrayList<>();
        if (present.contains("ReadWriteOnce")) out.add("RWO");
        if (present.contains("ReadOnlyMany")) out.add("ROX");
        if (present.contains("ReadWriteMany")) out.add("RWX");
        if (present.contains("ReadWriteOncePod")) out.add("RWOP");
        return String.join(",", out);
    }
}

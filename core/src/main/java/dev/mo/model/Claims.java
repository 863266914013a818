package dev.mo.model;

/**
 * What a PersistentVolumeClaim is in mo: a Docker named volume on the node where its first
 * pod ran. The control plane writes that name as the claim's {@code spec.volumeName}; the
 * agent creates and mounts the volume by it.
 */
public final class Claims {
    private Claims() {}

    /** {@code mo-pvc-<namespace>-<claim>}, e.g. {@code mo-pvc-feastflow-data-postgres-0}. */
    public static String dockerVolumeName(String namespace, String claimName) {
        return "mo-pvc-" + namespace + "-" + claimName;
    }
}

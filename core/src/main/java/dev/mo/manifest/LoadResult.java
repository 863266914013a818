package dev.mo.manifest;

import java.util.List;

/**
 * What loading manifests produced: the objects read, and every problem found.
 * The caller applies nothing unless {@link #ok()}: Kubernetes' {@code kubectl apply} also
 * refuses a file with an invalid object, so a typo never half-applies a set of manifests.
 */
public record LoadResult(List<ManifestDocument> documents, List<ManifestProblem> errors, List<ManifestProblem> warnings) {

    public LoadResult {
        documents = List.copyOf(documents);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean ok() { return errors.isEmpty(); }
}

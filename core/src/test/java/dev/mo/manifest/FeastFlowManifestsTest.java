package dev.mo.manifest;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The FeastFlow manifests (examples/feastflow/devops/kubernetes/) are plain Kubernetes objects
 * that mo takes whole: no error, and no warning about a field mo would ignore.
 */
class FeastFlowManifestsTest {
    private static final Path DIR = Path.of("..", "examples", "feastflow", "devops", "kubernetes");

    @Test
    void everyFieldIsValidAndActedOn() {
        LoadResult result = ManifestLoader.load(List.of(DIR.toString()), false, null);
        assertEquals(List.of(), result.errors().stream().map(ManifestProblem::format).toList());
        assertEquals(List.of(), result.warnings().stream().map(ManifestProblem::format).toList());
        assertEquals(List.of("Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim", "StatefulSet", "Service",
                        "Deployment", "Service", "Deployment", "Service", "Ingress", "HorizontalPodAutoscaler"),
                result.documents().stream().map(d -> d.object().get("kind").asText()).toList());
    }
}

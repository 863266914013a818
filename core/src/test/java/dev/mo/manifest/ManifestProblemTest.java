package dev.mo.manifest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ManifestProblemTest {
    @Test
    void formatsWithSourceLineAndPath() {
        assertEquals("deploy/web.yaml:12: spec.template.spec.containers[0].ports[0].containerPort: must be between 1 and 65535, got 70000",
                new ManifestProblem("deploy/web.yaml", 12, "spec.template.spec.containers[0].ports[0].containerPort",
                        "must be between 1 and 65535, got 70000").format());
    }

    @Test
    void omitsWhatIsUnknown() {
        assertEquals("web.yaml: no such file or directory", new ManifestProblem("web.yaml", 0, null, "no such file or directory").format());
        assertEquals("spec.replicas: required", new ManifestProblem(null, 7, "spec.replicas", "required").format());
        assertEquals("web.yaml:3: broken", new ManifestProblem("web.yaml", 3, "", "broken").format());
    }

    @Test
    void okMeansNoErrors() {
        var warning = new ManifestProblem("a", 1, "x", "w");
        assertEquals(true, new LoadResult(java.util.List.of(), java.util.List.of(), java.util.List.of(warning)).ok());
        assertEquals(false, new LoadResult(java.util.List.of(), java.util.List.of(warning), java.util.List.of()).ok());
    }
}

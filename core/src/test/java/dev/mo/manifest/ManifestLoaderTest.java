package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestLoaderTest {

    private static String configMap(String name) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  a: b\n";
    }

    private static List<String> names(LoadResult result) {
        return result.documents().stream().map(d -> d.object().path("metadata").path("name").asText()).toList();
    }

    @Test
    void realisticApplicationHasNoErrors() {
        LoadResult result = ManifestLoader.parse("shop.yaml", Samples.SHOP);
        assertEquals(List.of(), result.errors());
        assertTrue(result.ok());
        assertEquals(List.of("Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim", "StatefulSet", "Service",
                        "Deployment", "Ingress", "HorizontalPodAutoscaler", "HorizontalPodAutoscaler"),
                result.documents().stream().map(d -> d.object().get("kind").asText()).toList());
        assertEquals(List.of(1, 8, 19, 30, 42, 109, 125, 271, 302, 336),
                result.documents().stream().map(ManifestDocument::line).toList());
    }

    @Test
    void realisticApplicationWarnsAboutWhatMoIgnores() {
        List<String> warnings = ManifestLoader.parse("shop.yaml", Samples.SHOP).warnings().stream()
                .map(ManifestProblem::format).toList();
        assertTrue(warnings.contains("shop.yaml:280: spec.tls: accepted, but mo does not act on this field yet"),
                warnings::toString);
        assertTrue(warnings.stream().noneMatch(w -> w.contains("Ingress: stored") || w.contains("Service: stored")),
                warnings::toString);
        assertTrue(warnings.stream().noneMatch(w -> w.contains(": stored;")), warnings::toString);
        // StatefulSets are acted on: only the fields mo ignores warn
        assertTrue(warnings.stream().noneMatch(w -> w.contains("spec.ordinals") || w.contains("RetentionPolicy")),
                warnings::toString);
        assertTrue(warnings.contains("shop.yaml:37: spec.storageClassName: accepted, but mo does not act on this field yet"));
        assertTrue(warnings.contains(
                "shop.yaml:195: spec.template.spec.containers[].readinessProbe.grpc: accepted, but mo does not act on this field yet"));
        assertTrue(warnings.stream().noneMatch(w -> w.contains("livenessProbe") || w.contains("startupProbe")),
                "httpGet probes are run by the agent");
        assertTrue(warnings.contains("shop.yaml:17: immutable: accepted, but mo does not act on this field yet"));
        // the scheduler acts on the Deployment's zone spread
        assertTrue(warnings.stream().noneMatch(w -> w.contains("topologySpreadConstraints")), warnings::toString);
        // Fields mo acts on give no warning.
        assertTrue(warnings.stream().noneMatch(w -> w.contains(".image:") || w.contains(".env:") || w.contains("replicas")),
                warnings::toString);
        // The HPA controller acts on cpu Utilization targets: the other metric and the policies warn.
        assertEquals(List.of("shop.yaml:322: spec.metrics[].pods: accepted, but mo does not act on this field yet",
                        "shop.yaml:331: spec.behavior.scaleDown.policies: accepted, but mo does not act on this field yet"),
                warnings.stream().filter(w -> w.contains("spec.metrics") || w.contains("spec.behavior")).toList());
    }

    @Test
    void scalarsKeepTheirYamlTypes() {
        LoadResult result = ManifestLoader.parse("t.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: types
                  labels: {a: "3"}
                  annotations: {n: 3, b: true, s: "true", nothing: null}
                """);
        JsonNode annotations = result.documents().get(0).object().path("metadata").path("annotations");
        assertTrue(annotations.get("n").isInt());
        assertTrue(annotations.get("b").isBoolean());
        assertTrue(annotations.get("s").isTextual());
        assertTrue(annotations.get("nothing").isNull());
        // Annotation values must be strings, as in Kubernetes.
        assertEquals(List.of("metadata.annotations.n: must be a string, got number 3",
                        "metadata.annotations.b: must be a string, got boolean true"
                                + " (yes, no, on, off, y and n without quotes are booleans in YAML: quote the value)"),
                result.errors().stream().map(e -> e.fieldPath() + ": " + e.message()).toList());
        assertEquals(6, result.errors().get(0).line());
    }

    @Test
    void emptyInputAndEmptyDocumentsGiveNoObjects() {
        for (String text : List.of("", "\n\n", "# only a comment\n", "---\n", "---\n---\n# nothing\n---\n")) {
            LoadResult result = ManifestLoader.parse("empty.yaml", text);
            assertEquals(List.of(), result.documents(), text);
            assertTrue(result.ok(), text);
        }
    }

    @Test
    void skipsEmptyDocumentsBetweenObjects() {
        LoadResult result = ManifestLoader.parse("m.yaml", "---\n" + configMap("one") + "---\n---\n" + configMap("two"));
        assertEquals(List.of("one", "two"), names(result));
        assertEquals(List.of(2, 10), result.documents().stream().map(ManifestDocument::line).toList());
    }

    @Test
    void yamlSyntaxErrorIsAProblemWithItsLine() {
        LoadResult result = ManifestLoader.parse("bad.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: x
                   bad: indentation
                """);
        assertFalse(result.ok());
        ManifestProblem problem = result.errors().get(0);
        assertEquals(5, problem.line());
        assertNull(problem.fieldPath());
        assertTrue(problem.format().startsWith("bad.yaml:5: YAML syntax error: "), problem.format());
    }

    @Test
    void unclosedQuoteIsASyntaxError() {
        LoadResult result = ManifestLoader.parse("q.yaml", configMap("x") + "  c: \"open\n");
        assertFalse(result.ok());
        assertTrue(result.errors().get(0).message().startsWith("YAML syntax error"));
    }

    @Test
    void documentThatIsNotAnObjectIsAnError() {
        LoadResult result = ManifestLoader.parse("l.yaml", "- a\n- b\n");
        assertEquals("l.yaml:1: expected a Kubernetes object (apiVersion, kind, metadata...), got a list",
                result.errors().get(0).format());
    }

    @Test
    void jsonIsReadWithLines() {
        LoadResult result = ManifestLoader.parse("web.json", """
                {
                  "apiVersion": "apps/v1",
                  "kind": "Deployment",
                  "metadata": {"name": "web"},
                  "spec": {
                    "replicas": "3",
                    "selector": {"matchLabels": {"app": "web"}},
                    "template": {
                      "metadata": {"labels": {"app": "web"}},
                      "spec": {"containers": [{"name": "web", "image": "nginx"}]}
                    }
                  }
                }
                """);
        assertEquals(1, result.documents().size());
        assertEquals(List.of("web.json:6: spec.replicas: must be an integer, got string \"3\""),
                result.errors().stream().map(ManifestProblem::format).toList());
    }

    @Test
    void jsonSyntaxErrorHasALine() {
        LoadResult result = ManifestLoader.parse("bad.json", "{\n  \"kind\": \"ConfigMap\",\n  \"x\": [1,\n}\n");
        assertFalse(result.ok());
        assertEquals(4, result.errors().get(0).line());
        assertTrue(result.errors().get(0).message().startsWith("JSON syntax error"));
    }

    @Test
    void jsonWithDuplicateKeyIsAnError() {
        LoadResult result = ManifestLoader.parse("d.json",
                "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\",\n \"metadata\": {\"name\": \"a\",\n \"name\": \"b\"}}");
        assertEquals(List.of("d.json:3: metadata.name: duplicate key \"name\""),
                result.errors().stream().map(ManifestProblem::format).toList());
    }

    @Test
    void kindListYieldsEachItem() {
        LoadResult result = ManifestLoader.parse("list.yaml", """
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: first
                  - apiVersion: v1
                    kind: Namespace
                    metadata:
                      name: Second
                """);
        assertEquals(List.of("first", "Second"), names(result));
        assertEquals(List.of(4, 8), result.documents().stream().map(ManifestDocument::line).toList());
        ManifestProblem error = result.errors().get(0);
        assertEquals("metadata.name", error.fieldPath());
        assertEquals(11, error.line());
    }

    @Test
    void loadsDirectoriesSortedAndIgnoresOtherFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("b.yaml"), configMap("b"));
        Files.writeString(dir.resolve("a.yml"), configMap("a"));
        Files.writeString(dir.resolve("c.json"), "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}");
        Files.writeString(dir.resolve("README.md"), "# not a manifest: {{ broken");
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub").resolve("d.yaml"), configMap("d"));

        LoadResult flat = ManifestLoader.load(List.of(dir.toString()), false, null);
        assertEquals(List.of("a", "b", "c"), names(flat));
        assertEquals(dir.resolve("a.yml").toString(), flat.documents().get(0).source());
        assertTrue(flat.ok(), flat.errors()::toString);

        LoadResult recursive = ManifestLoader.load(List.of(dir.toString()), true, null);
        assertEquals(List.of("a", "b", "c", "d"), names(recursive));
    }

    @Test
    void readsAFileNamedExplicitlyWhateverItsExtension(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("manifest.txt");
        Files.writeString(file, configMap("x"));
        assertEquals(List.of("x"), names(ManifestLoader.load(List.of(file.toString()), false, null)));
    }

    @Test
    void missingFileIsAnErrorNamingIt() {
        LoadResult result = ManifestLoader.load(List.of("/no/such/web.yaml"), false, null);
        assertEquals(List.of("/no/such/web.yaml: no such file or directory"),
                result.errors().stream().map(ManifestProblem::format).toList());
    }

    @Test
    void readsStdinForDash(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("one.yaml");
        Files.writeString(file, configMap("from-file"));
        var stdin = new ByteArrayInputStream(("\n" + configMap("Bad_Name")).getBytes(StandardCharsets.UTF_8));
        LoadResult result = ManifestLoader.load(List.of(file.toString(), "-"), false, stdin);
        assertEquals(List.of("from-file", "Bad_Name"), names(result));
        assertEquals(ManifestLoader.STDIN, result.documents().get(1).source());
        assertEquals(2, result.documents().get(1).line());
        assertTrue(result.errors().get(0).format().startsWith("<stdin>:5: metadata.name: \"Bad_Name\""),
                result.errors().get(0).format());
    }

    @Test
    void yamlAnchorsAndMergeKeysWork() {
        LoadResult result = ManifestLoader.parse("m.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: merged
                  labels: &common
                    app: web
                  annotations:
                    <<: *common
                    note: hi
                """);
        assertTrue(result.ok(), result.errors()::toString);
        JsonNode annotations = result.documents().get(0).object().path("metadata").path("annotations");
        assertEquals("web", annotations.get("app").asText());
        assertEquals("hi", annotations.get("note").asText());
    }

    @Test
    void flowMappingThatIsNotJsonIsReadAsYaml() {
        LoadResult result = ManifestLoader.parse("f.yaml", "{apiVersion: v1, kind: Namespace, metadata: {name: flow}}\n");
        assertTrue(result.ok(), result.errors()::toString);
        assertEquals(List.of("flow"), names(result));
    }

    @Test
    void tabIndentedJsonIsRead() {
        LoadResult result = ManifestLoader.parse("t.json",
                "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Namespace\",\n\t\"metadata\": {\n\t\t\"name\": \"Tabs\"\n\t}\n}\n");
        assertEquals(List.of("t.json:5: metadata.name: \"Tabs\" is not a valid DNS-1123 label: lowercase letters, digits and '-', "
                + "starting and ending with a letter or digit, at most 63 characters"),
                result.errors().stream().map(ManifestProblem::format).toList());
    }

    @Test
    void severalJsonObjectsInOneFile() {
        LoadResult result = ManifestLoader.parse("two.json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}\n"
                        + "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"b\"}}\n");
        assertEquals(List.of("a", "b"), names(result));
        assertEquals(List.of(1, 2), result.documents().stream().map(ManifestDocument::line).toList());
    }

    @Test
    void recursiveAliasIsAProblemNotACrash() {
        LoadResult result = ManifestLoader.parse("r.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: &m\n  name: x\n  self: *m\n");
        assertFalse(result.ok());
    }

    @Test
    void duplicateKeyInYamlIsAnError() {
        LoadResult result = ManifestLoader.parse("d.yaml", configMap("x") + "  a: c\n");
        assertEquals(List.of("d.yaml:7: data.a: duplicate key \"a\""),
                result.errors().stream().map(ManifestProblem::format).toList());
    }

    @Test
    void autoscalerOnMemoryWarns() {
        List<String> warnings = ManifestLoader.parse("hpa.yaml", """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {kind: Deployment, name: web}
                  maxReplicas: 3
                  metrics:
                    - type: Resource
                      resource:
                        name: memory
                        target: {type: Utilization, averageUtilization: 60}
                """).warnings().stream().map(ManifestProblem::format).toList();
        assertEquals(List.of("hpa.yaml:9: spec.metrics[0].resource: accepted, but mo's HorizontalPodAutoscaler acts on "
                + "cpu Utilization targets only, not memory Utilization"), warnings);
    }
}

package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What must be accepted, objects without lines, and robustness against any malformed input. */
class ValidatorTest {

    private static List<ManifestProblem> errors(String yaml) {
        return ManifestLoader.parse("t.yaml", yaml).errors();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8080", "http", "\"web-port\""})
    void intOrStringFieldsAcceptBoth(String port) {
        assertEquals(List.of(), errors("""
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  ports: [{port: 80, targetPort: %s}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                    - name: c
                      image: nginx
                      ports: [{name: http, containerPort: 8080}, {name: web-port, containerPort: 8081}]
                      readinessProbe: {httpGet: {port: %s}}
                      livenessProbe: {tcpSocket: {port: %s}}
                """.formatted(port, port, port)));
    }

    @Test
    void surgeAndUnavailableAcceptNumbersAndPercentages() {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  strategy: {rollingUpdate: {maxSurge: %s, maxUnavailable: %s}}
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: nginx}]}
                """;
        assertEquals(List.of(), errors(deployment.formatted("1", "\"25%\"")));
        assertEquals(List.of(), errors(deployment.formatted("\"0%\"", "1")));
        assertEquals(List.of(), errors(deployment.formatted("0", "\"10%\"")));
    }

    @Test
    void specialServicesNeedNoPorts() {
        assertEquals(List.of(), errors("""
                apiVersion: v1
                kind: Service
                metadata: {name: db}
                spec: {clusterIP: None, selector: {app: db}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: ext}
                spec: {type: ExternalName, externalName: db.example.com}
                """));
    }

    @Test
    void ingressAcceptsResourceBackendsAndWildcardHosts() {
        assertEquals(List.of(), errors("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: static}
                spec:
                  rules:
                    - host: "*.example.com"
                      http:
                        paths:
                          - path: /assets
                            pathType: ImplementationSpecific
                            backend:
                              resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: assets}
                """));
    }

    @Test
    void opaqueVolumeSourcesAndAffinityAreAccepted() {
        assertEquals(List.of(), errors("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms: [{matchExpressions: [{key: a, operator: In, values: [b]}]}]
                  volumes:
                    - name: nfs
                      nfs: {server: nfs.local, path: /exports}
                    - name: host
                      hostPath: {path: /var/log, type: Directory}
                  containers:
                    - name: c
                      image: busybox
                      volumeMounts: [{name: nfs, mountPath: /nfs}, {name: host, mountPath: /host}]
                """));
    }

    @Test
    void objectsFromTheApiHaveNoLines() {
        ObjectNode object = Json.parse("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": 1}}
                """);
        List<ManifestProblem> errors = Validator.validate(object, null, LineMap.NONE, null);
        assertEquals(List.of("data.k: must be a string, got number 1"),
                errors.stream().map(ManifestProblem::format).toList());
        assertEquals(0, errors.get(0).line());
    }

    @Test
    void missingKindAndApiVersion() {
        List<String> messages = Validator.validate(Json.parse("{\"metadata\": {\"name\": \"x\"}}"), null, LineMap.NONE, null)
                .stream().map(ManifestProblem::format).toList();
        assertEquals(2, messages.size());
        assertTrue(messages.get(0).startsWith("kind: required; mo accepts Namespace"), messages.get(0));
        assertEquals("apiVersion: required", messages.get(1));
    }

    /**
     * Replaces every value of every sample object, one at a time, with values of every JSON type.
     * Whatever comes in, validation reports problems and never fails inside.
     */
    @Test
    void neverFailsInsideWhateverTheInput() {
        JsonNode[] replacements = {
                JsonNodeFactory.instance.textNode("x"), JsonNodeFactory.instance.numberNode(-1),
                JsonNodeFactory.instance.booleanNode(true), JsonNodeFactory.instance.nullNode(),
                JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.nullNode()),
        };
        int checked = 0;
        for (ManifestDocument document : ManifestLoader.parse("shop.yaml", Samples.SHOP).documents()) {
            List<String> pointers = new ArrayList<>();
            collectPointers(document.object(), "", pointers);
            for (String pointer : pointers) {
                for (JsonNode replacement : replacements) {
                    ObjectNode copy = document.object().deepCopy();
                    replace(copy, pointer, replacement);
                    List<ManifestProblem> errors = Validator.validate(copy, "shop.yaml", LineMap.NONE, new ArrayList<>());
                    assertTrue(errors.stream().noneMatch(e -> e.message().startsWith("internal error")),
                            () -> pointer + " = " + replacement + ": " + errors);
                    Defaults.apply(copy); // must not throw either
                    checked++;
                }
            }
        }
        assertTrue(checked > 2000, "checked " + checked);
    }

    private static void collectPointers(JsonNode node, String pointer, List<String> out) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(f -> {
                String child = pointer + "/" + f.replace("~", "~0").replace("/", "~1");
                out.add(child);
                collectPointers(node.get(f), child, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(pointer + "/" + i);
                collectPointers(node.get(i), pointer + "/" + i, out);
            }
        }
    }

    private static void replace(ObjectNode root, String pointer, JsonNode value) {
        int cut = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, cut));
        String last = pointer.substring(cut + 1).replace("~1", "/").replace("~0", "~");
        if (parent instanceof ObjectNode o) o.set(last, value);
        else if (parent instanceof ArrayNode a) a.set(Integer.parseInt(last), value);
    }
}

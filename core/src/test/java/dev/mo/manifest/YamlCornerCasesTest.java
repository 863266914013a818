package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.model.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * YAML read as kubectl reads it: sigs.k8s.io/yaml over go-yaml v2, a YAML 1.1 reader. Each row
 * is a value as written after {@code value: } and the JSON kubectl sends for it.
 */
class YamlCornerCasesTest {

    private static JsonNode valueOf(String yaml) {
        List<ManifestProblem> errors = new ArrayList<>();
        List<RawDocument> documents = YamlReader.read("t.yaml", "value: " + yaml + "\n", errors);
        assertEquals(List.of(), errors, yaml);
        return documents.get(0).root().get("value");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // go-yaml takes \' in double quotes as '; YAML 1.1 has no such escape
            "\"it\\'s\"            | \"it's\"",
            "\"tab\\there\"        | \"tab\\there\"",
            "\"\\x41\\u00e9\"      | \"Aé\"",
            "'it''s'               | \"it's\"",
            "'back\\slash'         | \"back\\\\slash\"",
            "http://web:8080/a     | \"http://web:8080/a\"",
            "a:b                   | \"a:b\"",
            // YAML 1.1 sexagesimal: go-yaml keeps the text
            "10:30                 | \"10:30\"",
            // YAML 1.1 booleans, go-yaml v2 included: kubectl sends JSON booleans
            "yes                   | true",
            "Yes                   | true",
            "ON                    | true",
            "no                    | false",
            "off                   | false",
            "y                     | true",
            "N                     | false",
            "true                  | true",
            // quoted, they stay strings
            "\"yes\"               | \"yes\"",
            "'no'                  | \"no\"",
            "\"on\"                | \"on\"",
            "!!str y               | \"y\"",
            "yess                  | \"yess\"",
            "0777                  | 511",
            "1_000                 | 1000",
            "~                     | null",
            "null                  | null",
    })
    void readsAsKubectlDoes(String yaml, String json) {
        assertEquals(Json.parse("{\"v\":" + json + "}").get("v"), valueOf(yaml.strip()));
    }

    @Test
    void aBackslashQuoteInsideOtherScalarsIsLeftAsWritten() {
        List<ManifestProblem> errors = new ArrayList<>();
        String yaml = """
                plain: don\\'t
                single: 'x\\'
                block: |
                  "it\\'s"
                double: "it\\'s \\"fine\\"" # "not\\'here"
                """;
        JsonNode o = YamlReader.read("t.yaml", yaml, errors).get(0).root();
        assertEquals(List.of(), errors);
        assertEquals("don\\'t", o.get("plain").asText());
        assertEquals("x\\", o.get("single").asText());
        assertEquals("\"it\\'s\"\n", o.get("block").asText());
        assertEquals("it's \"fine\"", o.get("double").asText());
    }

    @Test
    void linesStayRightAfterABackslashQuote() {
        String yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: "it\\'s-a-bad-name"
                  annotations: {a: "it\\'s", b: "and\\'this"}
                data:
                  key: "don\\'t"
                  other: [1
                """;
        List<ManifestProblem> errors = new ArrayList<>();
        YamlReader.read("t.yaml", yaml, errors);
        assertEquals(1, errors.size(), errors::toString);
        assertEquals(9, errors.get(0).line(), errors::toString);

        LoadResult result = ManifestLoader.parse("t.yaml", yaml.replace("  other: [1\n", ""));
        assertEquals(1, result.errors().size(), result.errors()::toString);
        assertTrue(result.errors().get(0).format().startsWith("t.yaml:4: metadata.name: \"it's-a-bad-name\""),
                result.errors().get(0).format());
    }

    /** go-yaml v2 knows no \\/ (YAML 1.2 added it) and no \\q: kubectl refuses both, and so does mo. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"\"\\q\"", "\"a\\/b\"", "\"it\\'s \\/\""})
    void anEscapeKubectlRefusesIsAnError(String value) {
        List<ManifestProblem> errors = new ArrayList<>();
        YamlReader.read("t.yaml", "a: 1\nb: " + value + "\n", errors);
        assertEquals(1, errors.size(), errors::toString);
        assertEquals(2, errors.get(0).line());
        assertTrue(errors.get(0).format().contains("unknown escape character"), errors.get(0).format());
    }

    @Test
    void aLabelValueYesStaysAStringOnlyWhenQuotedAsKubernetesRequires() {
        String manifest = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: flags
                  labels:
                    quoted: "yes"
                    bare: yes
                """;
        LoadResult result = ManifestLoader.parse("t.yaml", manifest);
        assertEquals("yes", result.documents().isEmpty() ? null
                : result.documents().get(0).object().at("/metadata/labels/quoted").asText());
        List<String> errors = result.errors().stream().map(ManifestProblem::format).toList();
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith("t.yaml:7: metadata.labels.bare: must be a string, got boolean true"), errors.get(0));
        assertTrue(errors.get(0).contains("quote"), errors.get(0));
    }
}

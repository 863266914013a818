package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.scanner.ScannerException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads multi-document YAML into Jackson trees, keeping the line of every field.
 *
 * <p>It uses SnakeYAML's <em>compose</em> step (nodes with positions) instead of loading Java maps,
 * because only nodes remember where they were written. Plain scalars keep their YAML type
 * ({@code 3} is a number, {@code "3"} a string, {@code true} a boolean), as kubectl's YAML-to-JSON
 * conversion does, so the validator can reject {@code replicas: "3"} as Kubernetes would.
 */
final class YamlReader {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Deeper than any real manifest; stops self-referencing aliases ({@code &a [*a]}) from looping. */
    private static final int MAX_DEPTH = 100;

    /**
     * Plain words go-yaml v2 (under sigs.k8s.io/yaml, which kubectl reads manifests with) takes
     * as booleans but SnakeYAML's YAML 1.1 resolver leaves as strings; the other YAML 1.1
     * booleans (yes, no, on, off, true, false in three spellings) both read alike.
     */
    private static final Map<String, Boolean> GO_YAML_ONLY_BOOLEANS =
            Map.of("y", true, "Y", true, "n", false, "N", false);

    private final String source;
    /** Where the current reading's problems go: only the last reading's reach the caller. */
    private List<ManifestProblem> errors;
    private final List<ManifestProblem> callerErrors;
    private String text;
    private Mark lastScannerMark;
    private FieldLines lines;

    private YamlReader(String source, List<ManifestProblem> errors) {
        this.source = source;
        this.callerErrors = errors;
    }

    /** Every non-empty document in the text; syntax errors are added to {@code errors}. */
    static List<RawDocument> read(String source, String text, List<ManifestProblem> errors) {
        return new YamlReader(source, errors).readAll(text);
    }

    private List<RawDocument> readAll(String text) {
        String current = text;
        int repairsLeft = occurrences(text, "\\'");
        while (true) {
            List<ManifestProblem> found = new ArrayList<>();
            List<RawDocument> documents = readOnce(current, found);
            int escape = repairsLeft > 0 ? backslashQuoteAt(current, found) : -1;
            if (escape < 0) {
                callerErrors.addAll(found);
                return documents;
            }
            // kubectl's YAML library takes \' in a double-quoted scalar as ', SnakeYAML refuses it:
            // write it as ' (a literal in double quotes) where the scanner stopped, and read again.
            // Only the characters before the end of that line move: line numbers stay right.
            current = current.substring(0, escape) + current.substring(escape + 1);
            repairsLeft--;
        }
    }

    /** The index of the backslash of a {@code \'} the scanner refused in a double-quoted scalar, or -1. */
    private int backslashQuoteAt(String text, List<ManifestProblem> found) {
        if (lastScannerMark == null || found.isEmpty()) return -1;
        int index = lastScannerMark.getIndex();
        if (index > text.codePointCount(0, text.length())) return -1;
        int quote = text.offsetByCodePoints(0, index);
        boolean refusedEscape = quote > 0 && quote < text.length()
                && text.charAt(quote) == '\'' && text.charAt(quote - 1) == '\\';
        return refusedEscape ? quote - 1 : -1;
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) count++;
        return count;
    }

    private List<RawDocument> readOnce(String text, List<ManifestProblem> found) {
        this.text = text;
        this.errors = found;
        lastScannerMark = null;
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        List<RawDocument> documents = new ArrayList<>();
        try {
            Iterator<Node> nodes = new Yaml(options).composeAll(new StringReader(text)).iterator();
            while (nodes.hasNext()) {
                Node node = nodes.next();
                if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) continue; // empty document: "---" alone
                lines = new FieldLines();
                int line = lineOf(node);
                lines.record("", line);
                documents.add(new RawDocument(convert(node, "", 0), line, lines));
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            if (e instanceof ScannerException) lastScannerMark = e.getProblemMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            errors.add(new ManifestProblem(source, mark == null ? 0 : mark.getLine() + 1, null,
                    "YAML syntax error: " + what + context));
        } catch (YAMLException | IllegalStateException e) {
            errors.add(new ManifestProblem(source, 0, null, "YAML syntax error: " + e.getMessage()));
        }
        return documents;
    }

    private JsonNode convert(Node node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            error(path, node, "nested too deeply (a recursive YAML alias?)");
            return NODES.nullNode();
        }
        if (node instanceof MappingNode mapping) return convertMapping(mapping, path, depth);
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = NODES.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                String itemPath = FieldLines.item(path, i);
                lines.record(itemPath, lineOf(items.get(i)));
                array.add(convert(items.get(i), itemPath, depth + 1));
            }
            return array;
        }
        return scalar((ScalarNode) node);
    }

    private ObjectNode convertMapping(MappingNode mapping, String path, int depth) {
        ObjectNode object = NODES.objectNode();
        List<NodeTuple> merged = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (keyNode.getTag().equals(Tag.MERGE)) {          // "<<: *defaults": applied after the own keys
                merged.add(tuple);
                continue;
            }
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                error(path, keyNode, "a key must be a plain value, not a list or map");
                continue;
            }
            String key = keyScalar.getValue();
            String childPath = FieldLines.child(path, key);
            if (object.has(key)) {
                error(childPath, keyNode, "duplicate key \"" + key + "\"");
                continue;
            }
            lines.record(childPath, lineOf(keyNode));
            object.set(key, convert(tuple.getValueNode(), childPath, depth + 1));
        }
        for (NodeTuple merge : merged) mergeInto(object, merge.getValueNode(), path, depth);
        return object;
    }

    /** YAML merge keys: fields of the referenced map(s) that the mapping does not set itself. */
    private void mergeInto(ObjectNode object, Node value, String path, int depth) {
        List<Node> sources = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
        for (Node sourceNode : sources) {
            if (!(sourceNode instanceof MappingNode)) {
                error(path, sourceNode, "a merge key (<<) must refer to a map");
                continue;
            }
            convertMapping((MappingNode) sourceNode, path, depth + 1).fields().forEachRemaining(field -> {
                if (!object.has(field.getKey())) object.set(field.getKey(), field.getValue());
            });
        }
    }

    private JsonNode scalar(ScalarNode node) {
        String value = node.getValue();
        Tag tag = node.getTag();
        try {
            if (tag.equals(Tag.NULL)) return NODES.nullNode();
            if (tag.equals(Tag.BOOL)) return NODES.booleanNode(isTrue(value));
            if (tag.equals(Tag.STR) && GO_YAML_ONLY_BOOLEANS.containsKey(value) && writtenBare(node)) {
                return NODES.booleanNode(GO_YAML_ONLY_BOOLEANS.get(value));
            }
            if (tag.equals(Tag.INT)) return integer(value);
            if (tag.equals(Tag.FLOAT)) return floating(value);
        } catch (NumberFormatException e) {
            // Sexagesimal and other YAML 1.1 oddities: keep the text; the schema check reports a wrong type.
        }
        return NODES.textNode(value);
    }

    /** A plain scalar with neither tag nor anchor: its text is all there is between its marks. */
    private boolean writtenBare(ScalarNode node) {
        if (!node.isPlain() || node.getStartMark() == null || node.getEndMark() == null) return false;
        int start = node.getStartMark().getIndex(), end = node.getEndMark().getIndex();
        int length = text.codePointCount(0, text.length());
        if (start < 0 || end > length || start > end) return false;
        return text.substring(text.offsetByCodePoints(0, start), text.offsetByCodePoints(0, end)).equals(node.getValue());
    }

    private static boolean isTrue(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        return v.equals("true") || v.equals("yes") || v.equals("on");
    }

    private static JsonNode integer(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) t = t.substring(1);
        BigInteger value;
        if (t.startsWith("0x")) value = new BigInteger(t.substring(2), 16);
        else if (t.startsWith("0b")) value = new BigInteger(t.substring(2), 2);
        else if (t.startsWith("0o")) value = new BigInteger(t.substring(2), 8);
        else if (t.length() > 1 && t.startsWith("0")) value = new BigInteger(t.substring(1), 8); // YAML 1.1 octal
        else value = new BigInteger(t);
        if (negative) value = value.negate();
        if (value.bitLength() < 32) return NODES.numberNode(value.intValue());
        if (value.bitLength() < 64) return NODES.numberNode(value.longValue());
        return NODES.numberNode(value);
    }

    private static JsonNode floating(String text) {
        String t = text.replace("_", "");
        if (t.toLowerCase(Locale.ROOT).contains("inf") || t.toLowerCase(Locale.ROOT).contains("nan")) {
            return NODES.textNode(text); // JSON has no infinity; Kubernetes rejects these too
        }
        return NODES.numberNode(Double.parseDouble(t));
    }

    private void error(String path, Node node, String message) {
        errors.add(new ManifestProblem(source, lineOf(node), path, message));
    }

    private static int lineOf(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}

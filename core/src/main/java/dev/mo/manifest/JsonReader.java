package dev.mo.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON manifests (one object, or several one after another as {@code kubectl} accepts),
 * keeping the line of every field. Jackson's streaming parser is used because it knows where
 * each token is; the tree it builds is the same one {@code Json.parse} would build.
 */
final class JsonReader {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String source;
    private final List<ManifestProblem> errors;
    private final JsonParser parser;
    private FieldLines lines;

    private JsonReader(String source, List<ManifestProblem> errors, JsonParser parser) {
        this.source = source;
        this.errors = errors;
        this.parser = parser;
    }

    /** Every top-level JSON value in the text; a syntax error is added to {@code errors}. */
    static List<RawDocument> read(String source, String text, List<ManifestProblem> errors) {
        List<RawDocument> documents = new ArrayList<>();
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(text)) {
            JsonReader reader = new JsonReader(source, errors, parser);
            while (parser.nextToken() != null) {
                reader.lines = new FieldLines();
                int line = parser.currentTokenLocation().getLineNr();
                reader.lines.record("", line);
                documents.add(new RawDocument(reader.value(""), line, reader.lines));
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            errors.add(new ManifestProblem(source, Math.max(line, 0), null, "JSON syntax error: " + dev.mo.model.Json.syntaxError(e)));
        } catch (IOException e) {
            errors.add(new ManifestProblem(source, 0, null, "cannot read: " + e.getMessage()));
        }
        return documents;
    }

    /** The value starting at the current token. */
    private JsonNode value(String path) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: return object(path);
            case START_ARRAY: return array(path);
            case VALUE_STRING: return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT: return integer();
            case VALUE_NUMBER_FLOAT: return NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE: return NODES.booleanNode(true);
            case VALUE_FALSE: return NODES.booleanNode(false);
            default: return NODES.nullNode();
        }
    }

    private JsonNode integer() throws IOException {
        switch (parser.getNumberType()) {
            case INT: return NODES.numberNode(parser.getIntValue());
            case LONG: return NODES.numberNode(parser.getLongValue());
            default: return NODES.numberNode(parser.getBigIntegerValue());
        }
    }

    private ObjectNode object(String path) throws IOException {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            String childPath = FieldLines.child(path, key);
            int keyLine = parser.currentTokenLocation().getLineNr();
            parser.nextToken();
            JsonNode value = value(childPath);
            if (object.has(key)) {
                errors.add(new ManifestProblem(source, keyLine, childPath, "duplicate key \"" + key + "\""));
                continue;
            }
            lines.record(childPath, keyLine);
            object.set(key, value);
        }
        return object;
    }

    private ArrayNode array(String path) throws IOException {
        ArrayNode array = NODES.arrayNode();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String itemPath = FieldLines.item(path, index++);
            lines.record(itemPath, parser.currentTokenLocation().getLineNr());
            array.add(value(itemPath));
        }
        return array;
    }
}

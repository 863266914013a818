package dev.mo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.util.Iterator;
import java.util.Map;

/**
 * JSON merge patch (RFC 7386): an object in the patch is merged key by key into the target,
 * {@code null} removes a key, and anything else (a string, a number, a list) replaces what
 * was there. {@code {"spec":{"replicas":3}}} changes one field and leaves the rest alone.
 */
final class MergePatch {
    private MergePatch() {}

    /** The target with the patch merged in; neither argument is changed. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) return patch.deepCopy();
        ObjectNode out = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) out.remove(e.getKey());
            else out.set(e.getKey(), apply(out.get(e.getKey()), e.getValue()));
        }
        return out;
    }
}

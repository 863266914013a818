package dev.mo.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** Reads an object's identity: kind, apiVersion and the {@code metadata} fields. */
public final class Meta {
    private Meta() {}

    /**
     * A new object's skeleton: {@code apiVersion} (the kind's preferred one), {@code kind} and
     * {@code metadata} with its name and, for a namespaced kind, its namespace.
     */
    public static ObjectNode newObject(Kind kind, String namespace, String name) {
        ObjectNode o = Json.object();
        o.put("apiVersion", kind.preferredApiVersion());
        o.put("kind", kind.kindName());
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        if (namespace != null && kind.namespaced()) meta.put("namespace", namespace);
        return o;
    }

    public static Kind kind(ObjectNode o) {
        String k = Json.text(o, "kind");
        return Kind.byKindName(k).orElseThrow(() -> new IllegalArgumentException("unknown kind " + k));
    }

    public static String name(ObjectNode o) { return Json.text(o, "metadata.name"); }

    /** The namespace, or null for cluster-scoped objects. */
    public static String namespace(ObjectNode o) { return Json.text(o, "metadata.namespace"); }

    public static String uid(ObjectNode o) { return Json.text(o, "metadata.uid"); }

    public static Map<String, String> labels(ObjectNode o) { return Json.stringMap(o, "metadata.labels"); }

    public static Map<String, String> annotations(ObjectNode o) { return Json.stringMap(o, "metadata.annotations"); }

    public static boolean deleting(ObjectNode o) { return Json.text(o, "metadata.deletionTimestamp") != null; }

    /** Whether {@code metadata.finalizers} holds {@code finalizer}. */
    public static boolean hasFinalizer(ObjectNode o, String finalizer) {
        for (JsonNode f : Json.at(o, "metadata.finalizers")) {
            if (finalizer.equals(f.asText())) return true;
        }
        return false;
    }

    /** Adds {@code finalizer} to {@code metadata.finalizers} unless it is there; true when it was added. */
    public static boolean addFinalizer(ObjectNode o, String finalizer) {
        if (hasFinalizer(o, finalizer)) return false;
        ObjectNode meta = Json.objectAt(o, "metadata");
        (meta.get("finalizers") instanceof ArrayNode list ? list
                : meta.putArray("finalizers")).add(finalizer);
        return true;
    }

    /** Removes {@code finalizer} from {@code metadata.finalizers} (and the list when it empties); true when it was there. */
    public static boolean removeFinalizer(ObjectNode o, String finalizer) {
        if (!hasFinalizer(o, finalizer)) return false;
        ArrayNode list = (ArrayNode) o.get("metadata").get("finalizers");
        for (int i = list.size() - 1; i >= 0; i--) if (finalizer.equals(list.get(i).asText())) list.remove(i);
        if (list.isEmpty()) ((ObjectNode) o.get("metadata")).remove("finalizers");
        return true;
    }

    /** {@code Kind namespace/name} or {@code Kind name}: how logs and errors name an object. */
    public static String describe(ObjectNode o) {
        String ns = namespace(o);
        return Json.text(o, "kind") + " " + (ns == null ? "" : ns + "/") + name(o);
    }
}

package dev.mo.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Kind;
import dev.mo.model.Meta;

/** Identifies one object: kind, namespace (null when cluster-scoped) and name. */
public record ObjectKey(Kind kind, String namespace, String name) {

    public static ObjectKey of(ObjectNode o) {
        Kind kind = Meta.kind(o);
        return new ObjectKey(kind, kind.namespaced() ? Meta.namespace(o) : null, Meta.name(o));
    }

    @Override
    public String toString() {
        return kind.plural() + "/" + (namespace == null ? "" : namespace + "/") + name;
    }
}

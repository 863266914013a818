package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.store.Change;
import dev.mo.store.ObjectKey;

import java.util.Arrays;
import java.util.List;

/**
 * Empties a namespace that is being deleted: every object in it is deleted (pods
 * gracefully, through their agents; claims once no pod uses them), and once nothing but
 * events is left the namespace itself goes.
 */
public final class NamespaceController implements Controller {
    private final ObjectService objects;

    public NamespaceController(ObjectService objects) { this.objects = objects; }

    @Override
    public String name() { return "namespace"; }

    @Override
    public void reconcile() {
        for (ObjectNode ns : objects.store().list(Kind.NAMESPACE, null)) {
            if (Meta.deleting(ns)) empty(Meta.name(ns), ns);
        }
    }

    private void empty(String namespace, ObjectNode ns) {
        for (Kind kind : Kind.values()) {
            if (!kind.namespaced() || kind == Kind.EVENT) continue;
            for (ObjectNode o : objects.store().list(kind, namespace)) {
                if (!Meta.deleting(o)) objects.delete(kind, namespace, Meta.name(o));
            }
        }
        boolean empty = Arrays.stream(Kind.values())
                .allMatch(k -> !k.namespaced() || k == Kind.EVENT || objects.store().list(k, namespace).isEmpty());
        if (empty) {
            List<Change> rest = new java.util.ArrayList<>();
            objects.store().list(Kind.EVENT, namespace).forEach(e -> rest.add(Change.delete(ObjectKey.of(e))));
            rest.add(Change.delete(ObjectKey.of(ns)));
            objects.store().commit(rest, true);
        }
    }
}

package dev.mo.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One part of a transaction: put an object (create or replace) or delete one. */
public sealed interface Change {
    ObjectKey key();

    record Put(ObjectNode object) implements Change {
        public ObjectKey key() { return ObjectKey.of(object); }
    }

    record Delete(ObjectKey key) implements Change {}

    static Change put(ObjectNode o) { return new Put(o); }

    static Change delete(ObjectKey key) { return new Delete(key); }
}

package dev.mo.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Kind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Every object {@code mo} knows, in memory, made durable by a {@link Journal}.
 *
 * <p>All writes go through {@link #commit}: a list of changes applied together or not at
 * all, numbered by one global revision that becomes each written object's
 * {@code metadata.resourceVersion}. Readers get copies, so nobody edits the store behind
 * its back. A {@code Put} that carries a {@code resourceVersion} must match the stored one
 * (optimistic concurrency, as in Kubernetes); one without is written as it is.
 */
public final class Store implements AutoCloseable {
    private final Map<Kind, TreeMap<String, ObjectNode>> byKind = new EnumMap<>(Kind.class);
    private final Journal journal;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long revision;
    private boolean waitsEnded;

    private Store(Journal journal) {
        this.journal = journal;
        for (Kind k : Kind.values()) byKind.put(k, new TreeMap<>());
    }

    /** A store kept in {@code dir}; what was committed there before is loaded. */
    public static Store open(Path dir) {
        Store store = new Store(new Journal(dir));
        try {
            Map<ObjectKey, ObjectNode> loaded = new HashMap<>();
            store.revision = store.journal.load(loaded).revision();
            loaded.forEach((k, o) -> store.byKind.get(k.kind()).put(indexKey(k), o));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the store in " + dir, e);
        }
        return store;
    }

    /** A store that keeps nothing on disk: for tests and benchmarks. */
    public static Store inMemory() { return new Store(null); }

    private static String indexKey(ObjectKey k) {
        return (k.namespace() == null ? "" : k.namespace()) + "/" + k.name();
    }

    public synchronized Optional<ObjectNode> get(ObjectKey key) {
        ObjectNode o = byKind.get(key.kind()).get(indexKey(key));
        return Optional.ofNullable(o).map(ObjectNode::deepCopy);
    }

    public Optional<ObjectNode> get(Kind kind, String namespace, String name) {
        return get(new ObjectKey(kind, kind.namespaced() ? namespace : null, name));
    }

    /** Objects of a kind, in one namespace or (namespace null) in all, sorted by namespace and name. */
    public List<ObjectNode> list(Kind kind, String namespace) {
        return list(kind, namespace, o -> true);
    }

    public synchronized List<ObjectNode> list(Kind kind, String namespace, Predicate<ObjectNode> filter) {
        TreeMap<String, ObjectNode> all = byKind.get(kind);
        Map<String, ObjectNode> range = namespace == null || !kind.namespaced()
                ? all : all.subMap(namespace + "/", namespace + "/\uffff");
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : range.values()) {
            if (filter.test(o)) out.add(o.deepCopy());
        }
        return out;
    }

    public synchronized long revision() { return revision; }

    /**
     * Applies the changes as one transaction and returns its revision. With {@code durable}
     * it returns only once the transaction is on disk: use it for everything a user was told
     * has happened. Throws {@link ConflictException} (and changes nothing) when a Put carries
     * a stale resourceVersion.
     */
    public long commit(List<Change> changes, boolean durable) {
        if (changes.isEmpty()) return revision();
        long rev;
        synchronized (this) {
            for (Change c : changes) {
                if (c instanceof Change.Put p) checkVersion(p.object());
            }
            rev = ++revision;
            List<Change> written = new ArrayList<>(changes.size());
            for (Change c : changes) {
                ObjectKey key = c.key();
                if (c instanceof Change.Put p) {
                    ObjectNode copy = p.object().deepCopy();
                    Json.objectAt(copy, "metadata").put("resourceVersion", Long.toString(rev));
                    byKind.get(key.kind()).put(indexKey(key), copy);
                    written.add(Change.put(copy));
                } else {
                    byKind.get(key.kind()).remove(indexKey(key));
                    written.add(c);
                }
            }
            if (journal != null) {
                journal.append(rev, written, durable);
                if (journal.wantsCompaction()) {
                    List<ObjectNode> all = new ArrayList<>();
                    byKind.values().forEach(m -> all.addAll(m.values()));
                    journal.compact(rev, all);
                }
            }
            notifyAll();
        }
        listeners.forEach(Runnable::run);
        return rev;
    }

    private void checkVersion(ObjectNode o) {
        String expected = Json.text(o, "metadata.resourceVersion");
        if (expected == null) return;
        ObjectKey key = ObjectKey.of(o);
        ObjectNode current = byKind.get(key.kind()).get(indexKey(key));
        String actual = current == null ? null : Json.text(current, "metadata.resourceVersion");
        if (!expected.equals(actual)) {
            throw new ConflictException("the object has been modified; please apply your changes to the latest version: "
                    + key + " (resourceVersion " + expected + ", now " + actual + ")");
        }
    }

    /**
     * Waits until the revision passes {@code since} or the timeout ends; true when it did.
     * After {@link #endWaits} it returns false at once.
     */
    public synchronized boolean awaitChange(long since, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (revision <= since) {
            if (waitsEnded) return false;
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /**
     * Ends every wait in {@link #awaitChange}, now and later: on shutdown, the agents' long polls
     * answer at once instead of holding the API server's threads for up to their 10 s.
     */
    public synchronized void endWaits() {
        waitsEnded = true;
        notifyAll();
    }

    /** Runs {@code listener} after every commit (on the committing thread: keep it short). */
    public void onChange(Runnable listener) { listeners.add(listener); }

    @Override
    public synchronized void close() {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

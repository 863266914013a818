package dev.mo.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Times;
import dev.mo.store.Change;
import dev.mo.store.ObjectKey;
import dev.mo.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Records Kubernetes {@code Event}s: why an object is in the state it is in. The same event
 * again (same object, reason and message) bumps {@code count} and {@code lastTimestamp},
 * as Kubernetes does, instead of piling up copies. Events older than an hour are pruned.
 */
public final class EventRecorder {
    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    static final Duration TTL = Duration.ofHours(1);

    private final Store store;
    private final Clock clock;

    public EventRecorder(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void normal(ObjectNode involved, String reason, String message, String component) {
        record(involved, "Normal", reason, message, component);
    }

    public void warning(ObjectNode involved, String reason, String message, String component) {
        record(involved, "Warning", reason, message, component);
    }

    /** One event to record: about {@code involved}, of {@code type} Normal or Warning. */
    public record Occurrence(ObjectNode involved, String type, String reason, String message, String component) {}

    public void record(ObjectNode involved, String type, String reason, String message, String component) {
        recordAll(List.of(new Occurrence(involved, type, reason, message, component)));
    }

    /** Records several events in one write (a ReplicaSet creating 1,000 pods makes 1,000 events). */
    public void recordAll(List<Occurrence> occurrences) {
        if (occurrences.isEmpty()) return;
        String now = Times.now(clock);
        java.util.Map<String, ObjectNode> batch = new java.util.LinkedHashMap<>();
        for (Occurrence o : occurrences) {
            ObjectNode event = bump(o, now, batch);
            batch.put(Meta.namespace(event) + "/" + Meta.name(event), event);
            log.info("event {} {} {}: {}", o.type(), Meta.describe(o.involved()), o.reason(), o.message());
        }
        // Events are observations: not synced to disk on their own.
        store.commit(batch.values().stream().map(Change::put).map(c -> (Change) c).toList(), false);
    }

    /** The event for this occurrence with its count raised by one, or a new one. */
    private ObjectNode bump(Occurrence o, String now, java.util.Map<String, ObjectNode> batch) {
        ObjectNode involved = o.involved();
        String namespace = Meta.namespace(involved) != null ? Meta.namespace(involved) : "default";
        String uid = Meta.uid(involved);
        // One name per (object, reason, message): a repeat finds and counts the same event.
        String name = Meta.name(involved) + "." + Integer.toHexString((uid + o.reason() + o.message()).hashCode());
        ObjectNode event = batch.get(namespace + "/" + name);
        if (event == null) event = store.get(Kind.EVENT, namespace, name).orElse(null);
        if (event == null) {
            event = Meta.newObject(Kind.EVENT, namespace, name);
            ((ObjectNode) event.get("metadata")).put("creationTimestamp", now);
            ObjectNode ref = event.putObject("involvedObject");
            ref.put("apiVersion", Json.text(involved, "apiVersion"));
            ref.put("kind", Json.text(involved, "kind"));
            if (Meta.namespace(involved) != null) ref.put("namespace", Meta.namespace(involved));
            ref.put("name", Meta.name(involved));
            if (uid != null) ref.put("uid", uid);
            event.put("reason", o.reason());
            event.put("message", o.message());
            event.putObject("source").put("component", o.component());
            event.put("firstTimestamp", now);
            event.put("count", 0);
            event.put("type", o.type());
        }
        event.put("count", event.path("count").asInt() + 1);
        event.put("lastTimestamp", now);
        ((ObjectNode) event.get("metadata")).remove("resourceVersion");
        return event;
    }

    /** The events about one object, oldest first. */
    public List<ObjectNode> eventsFor(ObjectNode involved) {
        String uid = Meta.uid(involved);
        String ns = Meta.namespace(involved) != null ? Meta.namespace(involved) : "default";
        return store.list(Kind.EVENT, ns, e -> uid != null
                        ? uid.equals(Json.text(e, "involvedObject.uid"))
                        : Meta.name(involved).equals(Json.text(e, "involvedObject.name"))
                          && Json.text(involved, "kind").equals(Json.text(e, "involvedObject.kind")))
                .stream()
                .sorted(java.util.Comparator.comparing(e -> Json.text(e, "lastTimestamp")))
                .toList();
    }

    /** Removes events whose last occurrence is older than an hour. */
    public void prune() {
        Instant cutoff = clock.instant().minus(TTL);
        List<Change> old = store.list(Kind.EVENT, null, e -> Times.parse(Json.text(e, "lastTimestamp")).isBefore(cutoff))
                .stream().map(e -> Change.delete(ObjectKey.of(e))).toList();
        if (!old.isEmpty()) store.commit(old, false);
    }
}

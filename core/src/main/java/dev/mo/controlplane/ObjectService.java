package dev.mo.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.manifest.Defaults;
import dev.mo.manifest.LineMap;
import dev.mo.manifest.ManifestProblem;
import dev.mo.manifest.Quantity;
import dev.mo.manifest.Validator;
import dev.mo.model.Jobs;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.model.Times;
import dev.mo.store.Change;
import dev.mo.store.ConflictException;
import dev.mo.store.ObjectKey;
import dev.mo.store.Store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The control plane's rules for reading and writing objects, shared by the HTTP API and
 * the controllers: apply (validate everything, then write everything in one transaction),
 * delete (graceful for pods, cascading through the controllers for the rest), and
 * read-modify-write with retry on conflict.
 */
public final class ObjectService {
    /** Annotations that mo's controllers own: an apply keeps them instead of dropping them. */
    private static final List<String> SYSTEM_ANNOTATION_PREFIXES = List.of("deployment.kubernetes.io/", "mo.dev/");
    public static final String DEFAULT_NAMESPACE = "default";
    /** Kubernetes' finalizer on every claim: it is removed, and the claim with it, once no pod uses the claim. */
    public static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";

    private final Store store;
    private final Clock clock;
    private final EventRecorder events;

    public ObjectService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.events = new EventRecorder(store, clock);
    }

    public Store store() { return store; }

    public Clock clock() { return clock; }

    public EventRecorder events() { return events; }

    // ---- apply ----

    /** What an apply did to one object, in kubectl's words: created, configured or unchanged. */
    public record Applied(Kind kind, String namespace, String name, String action) {}

    public record ApplyResult(List<Applied> results, List<String> warnings) {}

    /**
     * Applies objects as {@code kubectl apply} does, but all or nothing: every object is
     * validated and checked first, and only when none has a problem are they all written,
     * in one durable transaction.
     */
    public ApplyResult apply(List<ObjectNode> objects, boolean dryRun) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<ObjectNode> prepared = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            ObjectNode o = objects.get(i).deepCopy();
            String label = "object " + (i + 1) + " (" + Json.text(o, "kind") + " " + Json.text(o, "metadata.name") + ")";
            if (prepare(o, label, problems, warnings)) prepared.add(o);
        }
        if (problems.isEmpty()) checkNamespaces(prepared, problems);

        Map<ObjectKey, ObjectNode> pending = new LinkedHashMap<>();
        List<Applied> results = new ArrayList<>();
        if (problems.isEmpty()) {
            for (ObjectNode o : prepared) {
                ObjectKey key = ObjectKey.of(o);
                ObjectNode existing = pending.containsKey(key) ? pending.get(key) : store.get(key).orElse(null);
                ObjectNode merged;
                if (existing == null) {
                    if (key.kind() == Kind.SERVICE) ServiceAllocator.allocate(o, servicesTaken(pending.values()));
                    merged = newObject(o);
                } else {
                    merged = mergeChecked(existing, o, pending.values(), problems);
                    if (merged == null) continue;
                }
                String action = existing == null ? "created" : sameContent(existing, merged) ? "unchanged" : "configured";
                if (!action.equals("unchanged")) pending.put(key, merged);
                results.add(new Applied(key.kind(), key.namespace(), key.name(), action));
            }
        }
        if (!problems.isEmpty()) throw ApiError.invalid(problems);
        if (!dryRun && !pending.isEmpty()) {
            List<Change> changes = new ArrayList<>();
            pending.values().forEach(o -> changes.add(Change.put(o)));
            store.commit(changes, true);
        }
        return new ApplyResult(results, warnings);
    }

    /**
     * Validates one object and fills in what apply and replace both fill in (namespace,
     * defaults); adds its problems and warnings and returns false when it cannot be written.
     */
    private boolean prepare(ObjectNode o, String label, List<String> problems, List<String> warnings) {
        List<ManifestProblem> warn = new ArrayList<>();
        List<ManifestProblem> errs = Validator.validate(o, label, LineMap.NONE, warn);
        errs.forEach(p -> problems.add(p.format()));
        warn.forEach(p -> warnings.add(p.format()));
        if (!errs.isEmpty()) return false;
        Kind kind = Meta.kind(o);
        if (!kind.userApplied() && kind != Kind.POD) {
            problems.add(label + ": kind " + kind.kindName() + " is made by mo itself and cannot be applied");
            return false;
        }
        if (kind.namespaced() && Meta.namespace(o) == null) {
            Json.objectAt(o, "metadata").put("namespace", DEFAULT_NAMESPACE);
        }
        if (!kind.namespaced()) ((ObjectNode) o.get("metadata")).remove("namespace");
        Defaults.apply(o);
        return true;
    }

    /**
     * A new version of a stored object as apply and replace write it: refused (null, with a
     * problem added) while it is being deleted or when an immutable field changed.
     */
    private ObjectNode mergeChecked(ObjectNode existing, ObjectNode o, Collection<ObjectNode> pending, List<String> problems) {
        ObjectKey key = ObjectKey.of(existing);
        if (Meta.deleting(existing)) {
            problems.add(key + ": is being deleted; wait until it is gone, then apply again");
            return null;
        }
        if (key.kind() == Kind.JOB) {
            Jobs.keepGeneratedSelector(existing, o);
            Jobs.keepDefaultedCompletions(existing, o);
        }
        String immutable = immutableFieldChanged(existing, o);
        if (immutable != null) {
            problems.add(o.get("kind").asText() + " \"" + key.name() + "\" is invalid: " + immutable
                    + ": field is immutable");
            return null;
        }
        if (key.kind() == Kind.PERSISTENT_VOLUME_CLAIM && claimShrunk(existing, o)) {
            problems.add("PersistentVolumeClaim \"" + key.name() + "\" is invalid: spec.resources.requests.storage: "
                    + "Forbidden: field can not be less than previous value");
            return null;
        }
        if (key.kind() == Kind.SERVICE) {
            ServiceAllocator.keepAllocations(existing, o);
            ServiceAllocator.allocate(o, servicesTaken(pending)); // e.g. a ClusterIP Service turned NodePort
        }
        // A bound claim keeps its volume: Kubernetes owns spec.volumeName once it is set.
        if (key.kind() == Kind.PERSISTENT_VOLUME_CLAIM && Json.text(o, "spec.volumeName") == null
                && Json.text(existing, "spec.volumeName") != null) {
            Json.objectAt(o, "spec").put("volumeName", Json.text(existing, "spec.volumeName"));
        }
        return merge(existing, o);
    }

    /** The stored Services and those this apply writes before the one at hand: their addresses and ports are taken. */
    private List<ObjectNode> servicesTaken(Collection<ObjectNode> pending) {
        List<ObjectNode> taken = new ArrayList<>(store.list(Kind.SERVICE, null));
        pending.stream().filter(p -> Meta.kind(p) == Kind.SERVICE).forEach(taken::add);
        return taken;
    }

    /** Kubernetes' answer to a write based on a stale resourceVersion. */
    public static final String CONFLICT_MESSAGE =
            "the object has been modified; please apply your changes to the latest version and try again";

    /**
     * Replaces an object's user-owned content ({@code PUT}), with apply's rules, under
     * optimistic concurrency: when {@code body} carries a {@code metadata.resourceVersion}
     * that is no longer the stored one, nothing is written and the answer is 409 Conflict.
     * Returns the object as stored afterwards.
     */
    public ObjectNode replace(Kind kind, String namespace, String name, ObjectNode body) {
        ObjectNode o = body.deepCopy();
        Kind bodyKind = Meta.kind(o);
        if (bodyKind != kind) {
            throw ApiError.badRequest("the kind of the object (" + bodyKind.kindName()
                    + ") does not match the resource on the URL (" + kind.plural() + ")");
        }
        if (!name.equals(Meta.name(o))) {
            throw ApiError.badRequest("the name of the object (" + Meta.name(o)
                    + ") does not match the name on the URL (" + name + ")");
        }
        if (kind.namespaced()) {
            String bodyNs = Meta.namespace(o);
            if (bodyNs != null && !bodyNs.equals(namespace)) {
                throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            Json.objectAt(o, "metadata").put("namespace", namespace);
        }
        String expectedVersion = Json.text(o, "metadata.resourceVersion");
        if (kind == Kind.NODE) return replaceNode(name, o, expectedVersion);
        List<String> problems = new ArrayList<>();
        String label = kind.kindName() + " " + name;
        prepare(o, label, problems, new ArrayList<>());
        if (!problems.isEmpty()) throw ApiError.invalid(problems);
        ObjectNode existing = require(kind, namespace, name);
        if (expectedVersion != null && !expectedVersion.equals(Json.text(existing, "metadata.resourceVersion"))) {
            throw conflict(kind, name);
        }
        ObjectNode merged = mergeChecked(existing, o, List.of(), problems);
        if (merged == null) throw ApiError.invalid(problems);
        if (sameContent(existing, merged)) return existing;
        // the store checks the version again, atomically with the write
        Json.objectAt(merged, "metadata").put("resourceVersion", Json.text(existing, "metadata.resourceVersion"));
        try {
            store.commit(List.of(Change.put(merged)), true);
        } catch (ConflictException e) {
            throw conflict(kind, name);
        }
        return require(kind, namespace, name);
    }

    /**
     * A Node's agent writes its status and its own labels; a user changes what a user changes
     * on a node: {@code spec.unschedulable} (cordon), {@code spec.taints} and the labels. The
     * rest of the body is ignored, as a node is not applied.
     */
    private ObjectNode replaceNode(String name, ObjectNode body, String expectedVersion) {
        ObjectNode existing = require(Kind.NODE, null, name);
        if (expectedVersion != null && !expectedVersion.equals(Json.text(existing, "metadata.resourceVersion"))) {
            throw conflict(Kind.NODE, name);
        }
        ObjectNode merged = existing.deepCopy();
        ObjectNode spec = Json.objectAt(merged, "spec");
        JsonNode unschedulable = body.at("/spec/unschedulable");
        if (unschedulable.isBoolean() && unschedulable.asBoolean()) spec.put("unschedulable", true); else spec.remove("unschedulable");
        JsonNode taints = body.at("/spec/taints");
        if (taints.isArray() && !taints.isEmpty()) spec.set("taints", taints); else spec.remove("taints");
        if (body.at("/metadata/labels").isObject()) Json.objectAt(merged, "metadata").set("labels", body.at("/metadata/labels"));
        if (sameContent(existing, merged)) return existing;
        try {
            store.commit(List.of(Change.put(merged)), true);
        } catch (ConflictException e) {
            throw conflict(Kind.NODE, name);
        }
        return require(Kind.NODE, null, name);
    }

    private static ApiError conflict(Kind kind, String name) {
        return new ApiError(409, "Conflict", List.of("Operation cannot be fulfilled on " + kind.pluralWithGroup()
                + " \"" + name + "\": " + CONFLICT_MESSAGE));
    }

    private void checkNamespaces(List<ObjectNode> objects, List<String> problems) {
        Set<String> created = new HashSet<>();
        for (ObjectNode o : objects) if (Meta.kind(o) == Kind.NAMESPACE) created.add(Meta.name(o));
        for (ObjectNode o : objects) {
            String ns = Meta.namespace(o);
            if (ns == null || created.contains(ns)) continue;
            Optional<ObjectNode> nsObj = store.get(Kind.NAMESPACE, null, ns);
            if (nsObj.isEmpty()) {
                problems.add(Meta.describe(o) + ": namespaces \"" + ns + "\" not found");
            } else if (Meta.deleting(nsObj.get())) {
                problems.add(Meta.describe(o) + ": unable to create new content in namespace " + ns
                        + " because it is being terminated");
            }
        }
    }

    /** A claim may grow, never shrink: the data already written may not fit a smaller volume. */
    private static boolean claimShrunk(ObjectNode existing, ObjectNode applied) {
        String before = Json.text(existing, "spec.resources.requests.storage");
        String after = Json.text(applied, "spec.resources.requests.storage");
        if (before == null || after == null || !Quantity.isValid(before) || !Quantity.isValid(after)) return false;
        return Quantity.parse(after).compareTo(Quantity.parse(before)) < 0;
    }

    /** Fields Kubernetes refuses to change after creation. */
    private static String immutableFieldChanged(ObjectNode existing, ObjectNode applied) {
        Kind kind = Meta.kind(applied);
        if ((kind == Kind.DEPLOYMENT || kind == Kind.STATEFUL_SET)
                && !Json.at(existing, "spec.selector").equals(Json.at(applied, "spec.selector"))) {
            return "spec.selector";
        }
        if (kind == Kind.STATEFUL_SET && !Json.at(existing, "spec.serviceName").equals(Json.at(applied, "spec.serviceName"))) {
            return "spec.serviceName";
        }
        if (kind == Kind.JOB) {
            // As the API server: what a Job's pods are and how many must succeed is fixed once it exists;
            // suspend, parallelism, activeDeadlineSeconds and ttlSecondsAfterFinished may change.
            for (String field : List.of("spec.selector", "spec.template", "spec.completions", "spec.completionMode")) {
                if (!Json.at(existing, field).equals(Json.at(applied, field))) return field;
            }
        }
        String ip = Json.text(applied, "spec.clusterIP");
        if (kind == Kind.SERVICE && ip != null && !ip.isEmpty() && !ip.equals(Json.text(existing, "spec.clusterIP"))) {
            return "spec.clusterIP";
        }
        return null;
    }

    /** Fills in what the API server owns on a new object: uid, timestamps, generation, status. */
    public ObjectNode newObject(ObjectNode o) {
        ObjectNode created = o.deepCopy();
        created.remove("status");
        ObjectNode meta = Json.objectAt(created, "metadata");
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", Times.now(clock));
        meta.put("generation", 1);
        meta.remove("resourceVersion");
        Kind kind = Meta.kind(created);
        if (kind == Kind.NAMESPACE) {
            Json.objectAt(meta, "labels").put("kubernetes.io/metadata.name", Meta.name(created));
            Json.objectAt(created, "spec").putArray("finalizers").add("kubernetes");
            Json.objectAt(created, "status").put("phase", "Active");
        } else if (kind == Kind.PERSISTENT_VOLUME_CLAIM) {
            Json.objectAt(created, "status").put("phase", "Pending");
            // As Kubernetes' admission does: from its first moment, a claim in use cannot just vanish.
            Meta.addFinalizer(created, PVC_PROTECTION);
        } else if (kind == Kind.POD) {
            Json.objectAt(created, "status").put("phase", "Pending");
        } else if (kind == Kind.JOB) {
            Jobs.generateSelector(created); // it names the uid, known only now
        }
        return created;
    }

    /** An applied object over the stored one: what the user wrote, plus what mo owns. */
    private static ObjectNode merge(ObjectNode existing, ObjectNode applied) {
        ObjectNode merged = applied.deepCopy();
        ObjectNode meta = Json.objectAt(merged, "metadata");
        JsonNode oldMeta = existing.get("metadata");
        for (String f : List.of("uid", "creationTimestamp", "generation", "ownerReferences", "finalizers")) {
            if (oldMeta.has(f)) meta.set(f, oldMeta.get(f));
        }
        meta.remove("resourceVersion");
        Meta.annotations(existing).forEach((k, v) -> {
            if (SYSTEM_ANNOTATION_PREFIXES.stream().anyMatch(k::startsWith)) Json.objectAt(meta, "annotations").put(k, v);
        });
        if (Meta.kind(existing) == Kind.NAMESPACE) {
            Json.objectAt(meta, "labels").put("kubernetes.io/metadata.name", Meta.name(existing));
            if (existing.has("spec")) merged.set("spec", existing.get("spec"));
        }
        if (existing.has("status")) merged.set("status", existing.get("status"));
        else merged.remove("status");
        if (!Json.at(existing, "spec").equals(Json.at(merged, "spec"))) {
            meta.put("generation", Json.integer(existing, "metadata.generation", 1) + 1);
        }
        return merged;
    }

    private static boolean sameContent(ObjectNode a, ObjectNode b) {
        ObjectNode x = a.deepCopy(), y = b.deepCopy();
        ((ObjectNode) x.get("metadata")).remove("resourceVersion");
        ((ObjectNode) y.get("metadata")).remove("resourceVersion");
        return x.equals(y);
    }

    // ---- read ----

    public Optional<ObjectNode> get(Kind kind, String namespace, String name) {
        return store.get(kind, namespace, name);
    }

    public ObjectNode require(Kind kind, String namespace, String name) {
        return get(kind, namespace, name).orElseThrow(() -> ApiError.notFound(notFoundMessage(kind, name)));
    }

    /** Kubernetes' wording: {@code deployments.apps "web" not found}. */
    public static String notFoundMessage(Kind kind, String name) {
        return kind.pluralWithGroup() + " \"" + name + "\" not found";
    }

    public List<ObjectNode> list(Kind kind, String namespace, LabelSelector selector) {
        return store.list(kind, namespace, o -> selector.matches(Meta.labels(o)));
    }

    // ---- write ----

    /**
     * Read, change, write; when someone else wrote in between, read again and retry, as
     * Kubernetes clients do on a 409 Conflict. Returns the written object, or empty when the
     * object is gone or {@code change} returned null (nothing to do).
     */
    public Optional<ObjectNode> update(ObjectKey key, UnaryOperator<ObjectNode> change, boolean durable) {
        for (int attempt = 0; ; attempt++) {
            Optional<ObjectNode> current = store.get(key);
            if (current.isEmpty()) return Optional.empty();
            ObjectNode before = current.get();
            ObjectNode after = change.apply(before.deepCopy());
            if (after == null || after.equals(before)) return Optional.empty();
            try {
                store.commit(List.of(Change.put(after)), durable);
                return Optional.of(after);
            } catch (ConflictException e) {
                if (attempt > 50) throw e;
            }
        }
    }

    /** Creates an object made by a controller (ReplicaSet, Pod, Endpoints). */
    public ObjectNode create(ObjectNode o, boolean durable) {
        ObjectNode created = newObject(o);
        store.commit(List.of(Change.put(created)), durable);
        return created;
    }

    /**
     * Deletes as Kubernetes does: a pod on a node is only marked (deletionTimestamp) and goes
     * once its agent has stopped its containers; a namespace is marked Terminating and the
     * namespace controller empties it; an object with finalizers is only marked, and goes
     * when the last one is removed ({@link #removeFinalizer}); anything else goes now, and the
     * garbage collector removes what it owned.
     */
    public ObjectNode delete(Kind kind, String namespace, String name) {
        ObjectNode existing = require(kind, namespace, name);
        ObjectKey key = ObjectKey.of(existing);
        if (kind == Kind.NAMESPACE) {
            if (SystemObjects.UNDELETABLE_NAMESPACES.contains(name)) {
                throw ApiError.forbidden("namespaces \"" + name + "\" is forbidden: this namespace may not be deleted");
            }
            return update(key, ns -> {
                if (Meta.deleting(ns)) return null;
                Json.objectAt(ns, "metadata").put("deletionTimestamp", Times.now(clock));
                Json.objectAt(ns, "status").put("phase", "Terminating");
                return ns;
            }, true).orElse(existing);
        }
        if (kind == Kind.POD && Json.text(existing, "spec.nodeName") != null) {
            return update(key, pod -> {
                if (Meta.deleting(pod)) return null;
                ObjectNode meta = Json.objectAt(pod, "metadata");
                meta.put("deletionTimestamp", Times.now(clock));
                meta.put("deletionGracePeriodSeconds", Json.integer(pod, "spec.terminationGracePeriodSeconds", 30));
                return pod;
            }, true).orElse(existing);
        }
        if (!Json.at(existing, "metadata.finalizers").isEmpty()) {
            return update(key, o -> {
                if (Meta.deleting(o)) return null;
                Json.objectAt(o, "metadata").put("deletionTimestamp", Times.now(clock));
                return o;
            }, true).orElse(existing);
        }
        store.commit(List.of(Change.delete(key)), true);
        return existing;
    }

    /**
     * Removes one finalizer; when the object is being deleted and that was the last one, the
     * object goes, as the Kubernetes API server removes it then.
     */
    public void removeFinalizer(ObjectKey key, String finalizer) {
        update(key, o -> Meta.removeFinalizer(o, finalizer) ? o : null, true)
                .filter(o -> Meta.deleting(o) && Json.at(o, "metadata.finalizers").isEmpty())
                .ifPresent(o -> remove(key, true));
    }

    /** Removes an object at once, whatever its kind (a pod whose containers are gone). */
    public void remove(ObjectKey key, boolean durable) {
        store.commit(List.of(Change.delete(key)), durable);
    }

    /** Groups objects by the uid of their controlling owner. */
    public static Map<String, List<ObjectNode>> byOwnerUid(List<ObjectNode> objects) {
        Map<String, List<ObjectNode>> out = new HashMap<>();
        for (ObjectNode o : objects) {
            String owner = controllerUid(o);
            if (owner != null) out.computeIfAbsent(owner, k -> new ArrayList<>()).add(o);
        }
        return out;
    }

    /** The uid of the owner reference marked {@code controller: true}, or null. */
    public static String controllerUid(ObjectNode o) {
        for (JsonNode ref : Json.at(o, "metadata.ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) return ref.path("uid").asText();
        }
        return null;
    }
}

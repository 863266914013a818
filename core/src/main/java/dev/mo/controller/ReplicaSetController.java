package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.EventRecorder;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.store.Change;
import dev.mo.store.ObjectKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * ReplicaSet → Pods: keeps exactly {@code spec.replicas} active pods. Too few: create pods
 * from the template. Too many: delete the least useful first, in Kubernetes' order
 * (not yet on a node, then not running, then not ready, then the youngest).
 */
public final class ReplicaSetController implements Controller {
    private final ObjectService objects;
    private final FailedSyncs failedSyncs;

    public ReplicaSetController(ObjectService objects) {
        this.objects = objects;
        this.failedSyncs = new FailedSyncs(objects, "replicaset-controller");
    }

    @Override
    public String name() { return "replicaset"; }

    @Override
    public void reconcile() {
        Map<String, List<ObjectNode>> podsByOwner = ObjectService.byOwnerUid(objects.store().list(Kind.POD, null));
        failedSyncs.syncEach(objects.store().list(Kind.REPLICA_SET, null), rs -> {
            if (Meta.deleting(rs)) return;
            List<ObjectNode> pods = podsByOwner.getOrDefault(Meta.uid(rs), List.of());
            List<ObjectNode> active = pods.stream().filter(Pods::isActive).toList();
            int want = Json.integer(rs, "spec.replicas", 1);
            ReplicaPlan plan = ReplicaPlan.of(want, active);
            if (plan.create() > 0) createPods(rs, plan.create());
            for (ObjectNode victim : plan.delete()) {
                objects.delete(Kind.POD, Meta.namespace(victim), Meta.name(victim));
                objects.events().normal(rs, "SuccessfulDelete", "Deleted pod: " + Meta.name(victim), "replicaset-controller");
            }
            updateStatus(rs, active);
        });
    }

    /**
     * The pure decision: how many pods to create, or which to delete. Example: want 3,
     * active [a (Running, ready), b (Pending, no node), c (Running, ready), d (Running, ready)]
     * → delete [b]: a pod not yet on a node is the cheapest to lose.
     */
    record ReplicaPlan(int create, List<ObjectNode> delete) {
        static ReplicaPlan of(int want, List<ObjectNode> active) {
            int diff = want - active.size();
            if (diff >= 0) return new ReplicaPlan(diff, List.of());
            List<ObjectNode> ranked = new ArrayList<>(active);
            ranked.sort(DELETE_FIRST);
            return new ReplicaPlan(0, ranked.subList(0, -diff));
        }
    }

    static final Comparator<ObjectNode> DELETE_FIRST = Comparator
            .comparing((ObjectNode p) -> Pods.nodeName(p) != null)                    // unscheduled first
            .thenComparing(p -> "Running".equals(Json.text(p, "status.phase")))       // then not running
            .thenComparing(Pods::isReady)                                               // then not ready
            .thenComparing(p -> Json.text(p, "metadata.creationTimestamp"), Comparator.reverseOrder()); // youngest

    private void createPods(ObjectNode rs, int count) {
        List<Change> changes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode pod = podFromTemplate(rs);
            changes.add(Change.put(objects.newObject(pod)));
            names.add(Meta.name(pod));
        }
        objects.store().commit(changes, true);
        objects.events().recordAll(names.stream().map(n -> new EventRecorder.Occurrence(rs, "Normal",
                "SuccessfulCreate", "Created pod: " + n, "replicaset-controller")).toList());
    }

    static ObjectNode podFromTemplate(ObjectNode rs) {
        ObjectNode template = (ObjectNode) Json.at(rs, "spec.template");
        ObjectNode pod = Meta.newObject(Kind.POD, Meta.namespace(rs), Names.withRandomSuffix(Meta.name(rs)));
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        meta.put("generateName", Meta.name(rs) + "-");
        if (template.at("/metadata/labels").isObject()) meta.set("labels", template.at("/metadata/labels").deepCopy());
        if (template.at("/metadata/annotations").isObject()) {
            meta.set("annotations", template.at("/metadata/annotations").deepCopy());
        }
        meta.putArray("ownerReferences").add(Pods.controllerRef(rs));
        pod.set("spec", template.get("spec").deepCopy());
        return pod;
    }

    private void updateStatus(ObjectNode rs, List<ObjectNode> active) {
        int ready = (int) active.stream().filter(Pods::isReady).count();
        int minReady = Json.integer(rs, "spec.minReadySeconds", 0);
        java.time.Instant now = objects.clock().instant();
        int available = (int) active.stream().filter(p -> Availability.isAvailable(p, minReady, now)).count();
        objects.update(ObjectKey.of(rs), r -> {
            ObjectNode status = Json.objectAt(r, "status");
            status.put("replicas", active.size());
            status.put("fullyLabeledReplicas", active.size());
            status.put("readyReplicas", ready);
            status.put("availableReplicas", available);
            status.put("observedGeneration", Json.integer(r, "metadata.generation", 1));
            return r;
        }, false);
    }
}

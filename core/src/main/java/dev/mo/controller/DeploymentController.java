package dev.mo.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.store.ObjectKey;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Deployment → ReplicaSets. The pod template's hash names the ReplicaSet that runs the
 * current template ("new"); every other ReplicaSet the Deployment owns is "old".
 *
 * <p>This first version replaces at once: the new ReplicaSet gets all the replicas and the
 * old ones none. Rolling updates (maxSurge, maxUnavailable) replace this step with a
 * {@code RollingUpdatePlanner} in a later version.
 */
public final class DeploymentController implements Controller {
    static final String TEMPLATE_HASH_LABEL = "pod-template-hash";
    static final String REVISION_ANNOTATION = "deployment.kubernetes.io/revision";

    private final ObjectService objects;

    public DeploymentController(ObjectService objects) { this.objects = objects; }

    @Override
    public String name() { return "deployment"; }

    @Override
    public void reconcile() {
        List<ObjectNode> allSets = objects.store().list(Kind.REPLICA_SET, null);
        Map<String, List<ObjectNode>> setsByOwner = ObjectService.byOwnerUid(allSets);
        for (ObjectNode d : objects.store().list(Kind.DEPLOYMENT, null)) {
            if (Meta.deleting(d)) continue;
            sync(d, setsByOwner.getOrDefault(Meta.uid(d), List.of()));
        }
    }

    private void sync(ObjectNode deployment, List<ObjectNode> owned) {
        ObjectNode template = (ObjectNode) Json.at(deployment, "spec.template");
        String hash = Names.templateHash(template);
        int replicas = Json.integer(deployment, "spec.replicas", 1);
        ObjectNode newSet = owned.stream()
                .filter(rs -> hash.equals(Meta.labels(rs).get(TEMPLATE_HASH_LABEL)))
                .findFirst().orElse(null);
        if (newSet == null) {
            newSet = createReplicaSet(deployment, template, hash, nextRevision(owned));
        }
        scale(deployment, newSet, replicas);
        for (ObjectNode old : owned) {
            if (!Meta.uid(old).equals(Meta.uid(newSet))) scale(deployment, old, 0);
        }
        updateStatus(deployment, newSet, owned);
    }

    private static long nextRevision(List<ObjectNode> owned) {
        return owned.stream()
                .mapToLong(rs -> Long.parseLong(Meta.annotations(rs).getOrDefault(REVISION_ANNOTATION, "0")))
                .max().orElse(0) + 1;
    }

    private ObjectNode createReplicaSet(ObjectNode deployment, ObjectNode template, String hash, long revision) {
        ObjectNode rs = Json.object();
        rs.put("apiVersion", "apps/v1");
        rs.put("kind", "ReplicaSet");
        ObjectNode meta = rs.putObject("metadata");
        meta.put("name", Meta.name(deployment) + "-" + hash);
        meta.put("namespace", Meta.namespace(deployment));
        ObjectNode labels = meta.putObject("labels");
        Meta.labels((ObjectNode) template).forEach(labels::put);
        labels.put(TEMPLATE_HASH_LABEL, hash);
        meta.putObject("annotations").put(REVISION_ANNOTATION, Long.toString(revision));
        meta.putArray("ownerReferences").add(Pods.controllerRef(deployment));

        ObjectNode spec = rs.putObject("spec");
        spec.put("replicas", 0);
        ObjectNode selector = Json.at(deployment, "spec.selector").deepCopy();
        Json.objectAt(selector, "matchLabels").put(TEMPLATE_HASH_LABEL, hash);
        spec.set("selector", selector);
        ObjectNode podTemplate = template.deepCopy();
        Json.objectAt(podTemplate, "metadata.labels").put(TEMPLATE_HASH_LABEL, hash);
        spec.set("template", podTemplate);
        if (Json.at(deployment, "spec.minReadySeconds").isNumber()) {
            spec.set("minReadySeconds", Json.at(deployment, "spec.minReadySeconds"));
        }
        ObjectNode created = objects.create(rs, true);
        objects.update(ObjectKey.of(deployment), d -> {
            Json.objectAt(d, "metadata.annotations").put(REVISION_ANNOTATION, Long.toString(revision));
            return d;
        }, true);
        return created;
    }

    private void scale(ObjectNode deployment, ObjectNode rs, int replicas) {
        int current = Json.integer(rs, "spec.replicas", 0);
        if (current == replicas) return;
        objects.update(ObjectKey.of(rs), r -> {
            ((ObjectNode) r.get("spec")).put("replicas", replicas);
            return r;
        }, true);
        String verb = replicas > current ? "up" : "down";
        objects.events().normal(deployment, "ScalingReplicaSet",
                "Scaled " + verb + " replica set " + Meta.name(rs) + " to " + replicas + " from " + current,
                "deployment-controller");
    }

    private void updateStatus(ObjectNode deployment, ObjectNode newSet, List<ObjectNode> owned) {
        int desired = Json.integer(deployment, "spec.replicas", 1);
        List<ObjectNode> sets = owned.stream().anyMatch(rs -> Meta.uid(rs).equals(Meta.uid(newSet)))
                ? owned : java.util.stream.Stream.concat(owned.stream(), java.util.stream.Stream.of(newSet)).toList();
        int replicas = 0, ready = 0, available = 0, updated = 0;
        for (ObjectNode rs : sets) {
            replicas += Json.integer(rs, "status.replicas", 0);
            ready += Json.integer(rs, "status.readyReplicas", 0);
            available += Json.integer(rs, "status.availableReplicas", 0);
        }
        updated = Json.integer(newSet, "status.replicas", 0);
        int newAvailable = Json.integer(newSet, "status.availableReplicas", 0);
        final int fReplicas = replicas, fReady = ready, fAvailable = available, fUpdated = updated;
        objects.update(ObjectKey.of(deployment), d -> {
            ObjectNode status = Json.objectAt(d, "status");
            status.put("observedGeneration", Json.integer(d, "metadata.generation", 1));
            status.put("replicas", fReplicas);
            status.put("updatedReplicas", fUpdated);
            status.put("readyReplicas", fReady);
            status.put("availableReplicas", fAvailable);
            status.put("unavailableReplicas", Math.max(0, desired - fAvailable));
            boolean complete = fUpdated == desired && newAvailable == desired && fReplicas == desired;
            Conditions.set(status, "Available", fAvailable >= desired ? "True" : "False",
                    fAvailable >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    fAvailable >= desired ? "Deployment has minimum availability."
                            : "Deployment does not have minimum availability.", objects.clock());
            Conditions.set(status, "Progressing", "True",
                    complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                    complete ? "ReplicaSet \"" + Meta.name(newSet) + "\" has successfully progressed."
                            : "ReplicaSet \"" + Meta.name(newSet) + "\" is progressing.", objects.clock());
            return d;
        }, false);
    }

    /** Old ReplicaSets first by revision: used by describe and rollout history. */
    static Comparator<ObjectNode> byRevision() {
        return Comparator.comparingLong(rs -> Long.parseLong(Meta.annotations(rs).getOrDefault(REVISION_ANNOTATION, "0")));
    }
}

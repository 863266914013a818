package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.model.Times;
import dev.mo.store.ObjectKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Deployment → ReplicaSets, as Kubernetes' {@code pkg/controller/deployment} does it. The pod
 * template's hash names the ReplicaSet that runs the current template ("new"); every other
 * ReplicaSet the Deployment owns is "old".
 *
 * <p>One pass, for each Deployment:
 * <ol>
 *   <li>find the new ReplicaSet; give it the next revision (max of the old ones + 1), or, when
 *       an old template came back (a rollback), reuse its ReplicaSet with a new revision;</li>
 *   <li>paused: only scaling, no rollout step and no new ReplicaSet;</li>
 *   <li>RollingUpdate: one {@link RollingUpdatePlanner#step} (new up or old down);</li>
 *   <li>Recreate: old ones to 0, wait until their pods are gone, then the new one up;</li>
 *   <li>when complete: delete old ReplicaSets with 0 replicas beyond revisionHistoryLimit;</li>
 *   <li>status and the Progressing / Available conditions.</li>
 * </ol>
 */
public final class DeploymentController implements Controller {
    static final String TEMPLATE_HASH_LABEL = "pod-template-hash";
    static final String REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
    /** On a ReplicaSet: the Deployment's replicas, and replicas + maxSurge, when it was last scaled. */
    static final String DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas";
    static final String MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas";

    // Progressing reasons, as Kubernetes spells them (deployment_util.go).
    static final String NEW_RS_CREATED = "NewReplicaSetCreated";
    static final String FOUND_NEW_RS = "FoundNewReplicaSet";
    static final String RS_UPDATED = "ReplicaSetUpdated";
    static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    static final String TIMED_OUT = "ProgressDeadlineExceeded";
    static final String PAUSED = "DeploymentPaused";
    static final String RESUMED = "DeploymentResumed";

    private final ObjectService objects;
    private final FailedSyncs failedSyncs;
    /** Runs before each Deployment's sync; a test throws from it to make one Deployment fail. */
    private final Consumer<ObjectNode> beforeSync;

    public DeploymentController(ObjectService objects) { this(objects, d -> {}); }

    DeploymentController(ObjectService objects, Consumer<ObjectNode> beforeSync) {
        this.objects = objects;
        this.failedSyncs = new FailedSyncs(objects, "deployment-controller");
        this.beforeSync = beforeSync;
    }

    @Override
    public String name() { return "deployment"; }

    @Override
    public void reconcile() {
        List<ObjectNode> allSets = objects.store().list(Kind.REPLICA_SET, null);
        Map<String, List<ObjectNode>> setsByOwner = ObjectService.byOwnerUid(allSets);
        Map<String, List<ObjectNode>> podsByOwner = ObjectService.byOwnerUid(objects.store().list(Kind.POD, null));
        failedSyncs.syncEach(objects.store().list(Kind.DEPLOYMENT, null), d -> {
            if (Meta.deleting(d)) return;
            beforeSync.accept(d);
            List<ObjectNode> owned = setsByOwner.getOrDefault(Meta.uid(d), List.of()).stream()
                    .filter(rs -> !Meta.deleting(rs)).toList();
            new Sync(d, owned, podsByOwner).run();
        });
    }

    /** One Deployment's pass; the status it builds is written once, at the end. */
    private final class Sync {
        final ObjectNode deployment;
        final ObjectNode status;
        final Map<String, List<ObjectNode>> podsByOwner;
        final int replicas;
        final boolean paused;
        final boolean recreate;
        final RollingUpdatePlanner.Limits limits;
        final String hash;
        ObjectNode newSet;
        final List<ObjectNode> olds = new ArrayList<>();
        String revision;

        Sync(ObjectNode deployment, List<ObjectNode> owned, Map<String, List<ObjectNode>> podsByOwner) {
            this.deployment = deployment;
            this.podsByOwner = podsByOwner;
            this.status = Json.at(deployment, "status").isObject() ? Json.at(deployment, "status").deepCopy() : Json.object();
            this.replicas = Json.integer(deployment, "spec.replicas", 1);
            this.paused = Json.at(deployment, "spec.paused").asBoolean(false);
            this.recreate = "Recreate".equals(Json.text(deployment, "spec.strategy.type"));
            this.limits = recreate ? new RollingUpdatePlanner.Limits(0, 0) : RollingUpdatePlanner.fenceposts(
                    Json.at(deployment, "spec.strategy.rollingUpdate.maxSurge"),
                    Json.at(deployment, "spec.strategy.rollingUpdate.maxUnavailable"), replicas);
            this.hash = Names.templateHash(Json.at(deployment, "spec.template"));
            for (ObjectNode rs : owned) {
                if (hash.equals(Meta.labels(rs).get(TEMPLATE_HASH_LABEL)) && newSet == null) newSet = rs;
                else olds.add(rs);
            }
            olds.sort(byCreation());
        }

        void run() {
            checkPausedConditions();
            syncRevision();
            if (paused) {
                scaleOnly();
                cleanup();
            } else if (isScalingEvent()) {
                scaleOnly(); // Kubernetes: a resize is handled alone, the rollout goes on next pass
            } else if (recreate) {
                rolloutRecreate();
            } else {
                rolloutRolling();
            }
            writeStatus();
        }

        // ---- revisions ----

        /**
         * Kubernetes' {@code getNewReplicaSet}: the new ReplicaSet's revision is one more than
         * the highest old one. Revisions 1 (A), 2 (B); going back to A makes A's ReplicaSet
         * the new one again, with revision 3.
         */
        void syncRevision() {
            long next = olds.stream().mapToLong(DeploymentController::revisionOf).max().orElse(0) + 1;
            if (newSet == null) {
                revision = Long.toString(next);
                return;
            }
            if (revisionOf(newSet) < next) {
                newSet = objects.update(ObjectKey.of(newSet), rs -> {
                    Json.objectAt(rs, "metadata.annotations").put(REVISION_ANNOTATION, Long.toString(next));
                    return rs;
                }, true).orElse(newSet);
            }
            revision = Long.toString(revisionOf(newSet));
            // minReadySeconds is not part of the template: a change reaches the ReplicaSet here.
            int minReady = Json.integer(deployment, "spec.minReadySeconds", 0);
            if (Json.integer(newSet, "spec.minReadySeconds", 0) != minReady) {
                newSet = objects.update(ObjectKey.of(newSet), rs -> {
                    ((ObjectNode) rs.get("spec")).put("minReadySeconds", minReady);
                    return rs;
                }, true).orElse(newSet);
            }
            if (hasProgressDeadline() && condition("Progressing") == null) {
                setCondition("Progressing", "True", FOUND_NEW_RS, "Found new replica set \"" + Meta.name(newSet) + "\"", false);
            }
        }

        void createNewSet(int initialReplicas) {
            newSet = createReplicaSet(deployment, hash, revision, initialReplicas,
                    Integer.toString(replicas), Integer.toString(replicas + limits.maxSurge()));
            if (initialReplicas > 0) recordScale(newSet, initialReplicas, 0);
            if (hasProgressDeadline()) {
                setCondition("Progressing", "True", NEW_RS_CREATED, "Created new replica set \"" + Meta.name(newSet) + "\"", false);
            }
        }

        // ---- strategies ----

        void rolloutRolling() {
            if (newSet == null) {
                // Kubernetes creates the new ReplicaSet already at its first step's size.
                int all = olds.stream().mapToInt(rs -> Json.integer(rs, "spec.replicas", 0)).sum();
                createNewSet(RollingUpdatePlanner.newReplicaSetTarget(replicas, limits.maxSurge(), all, 0));
            } else {
                Map<String, Integer> step = RollingUpdatePlanner.step(replicas, limits, state(newSet),
                        olds.stream().map(DeploymentController::state).toList());
                step.forEach((name, target) -> scale(byName(name), target));
            }
            if (complete(calculateStatus())) cleanup();
            syncRolloutStatus();
        }

        /** Kubernetes' {@code rolloutRecreate}: old ones to 0; their pods gone; new one up. */
        void rolloutRecreate() {
            boolean scaledDown = false;
            for (ObjectNode old : olds) {
                if (Json.integer(old, "spec.replicas", 0) > 0) {
                    scale(old, 0);
                    scaledDown = true;
                }
            }
            if (!scaledDown && !oldPodsRunning()) {
                if (newSet == null) createNewSet(replicas);
                else scale(newSet, replicas);
                if (complete(calculateStatus())) cleanup();
            }
            syncRolloutStatus();
        }

        /** Any pod of an old ReplicaSet not yet Succeeded or Failed, even one being deleted. */
        boolean oldPodsRunning() {
            for (ObjectNode old : olds) {
                if (Json.integer(old, "status.replicas", 0) > 0) return true;
                for (ObjectNode pod : podsByOwner.getOrDefault(Meta.uid(old), List.of())) {
                    String phase = Json.text(pod, "status.phase");
                    if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) return true;
                }
            }
            return false;
        }

        /**
         * Kubernetes' {@code isScalingEvent}: an active ReplicaSet was last scaled for another
         * replica count than the Deployment asks for now (its desired-replicas annotation).
         */
        boolean isScalingEvent() {
            List<ObjectNode> all = new ArrayList<>(olds);
            if (newSet != null) all.add(newSet);
            for (ObjectNode rs : all) {
                if (Json.integer(rs, "spec.replicas", 0) == 0) continue;
                String desired = Meta.annotations(rs).get(DESIRED_REPLICAS_ANNOTATION);
                if (desired != null && !desired.equals(Integer.toString(replicas))) return true;
            }
            return false;
        }

        /**
         * Kubernetes' {@code sync}/{@code scale}: resize without a rollout step (a resize, or
         * any pass while paused). When one ReplicaSet has all the pods (or none has any: the
         * newest), it gets {@code spec.replicas}; when the new one already has them all, the old
         * ones go to 0; otherwise, with RollingUpdate, each active ReplicaSet keeps its share
         * ({@link RollingUpdatePlanner#proportional}).
         */
        void scaleOnly() {
            List<ObjectNode> all = new ArrayList<>(olds);
            if (newSet != null) all.add(newSet);
            all.sort(byCreation());
            List<ObjectNode> active = all.stream().filter(rs -> Json.integer(rs, "spec.replicas", 0) > 0).toList();
            ObjectNode target = active.size() == 1 ? active.get(0)
                    : active.isEmpty() ? (newSet != null ? newSet : all.isEmpty() ? null : all.get(all.size() - 1))
                    : null;
            if (target != null) {
                scale(target, replicas);
                return;
            }
            if (newSet != null && Json.integer(newSet, "spec.replicas", 0) == replicas
                    && Json.integer(newSet, "status.availableReplicas", 0) == replicas) {
                for (ObjectNode old : active) if (old != newSet) scale(old, 0);
                return;
            }
            if (recreate) return;
            Map<String, Integer> sizes = RollingUpdatePlanner.proportional(replicas, limits.maxSurge(),
                    status.path("replicas").asInt(), active.stream().map(rs -> new RollingUpdatePlanner.Sized(Meta.name(rs),
                            Json.integer(rs, "spec.replicas", 0),
                            Integer.parseInt(Meta.annotations(rs).getOrDefault(MAX_REPLICAS_ANNOTATION, "0")))).toList());
            sizes.forEach((name, size) -> scale(byName(name), size));
        }

        /**
         * revisionHistoryLimit: old ReplicaSets with no replicas are the rollback history;
         * beyond the limit the oldest (lowest revision) go. Limit 2 with revisions 1..5 and 5
         * current: 1 and 2 are deleted, 3 and 4 stay.
         */
        void cleanup() {
            int limit = Json.integer(deployment, "spec.revisionHistoryLimit", 10);
            List<ObjectNode> cleanable = new ArrayList<>(olds);
            cleanable.sort(byRevision());
            int diff = cleanable.size() - limit;
            for (int i = 0; i < diff; i++) {
                ObjectNode rs = cleanable.get(i);
                if (Json.integer(rs, "spec.replicas", 0) != 0 || Json.integer(rs, "status.replicas", 0) != 0) continue;
                objects.store().get(ObjectKey.of(rs)).ifPresent(current ->
                        objects.delete(Kind.REPLICA_SET, Meta.namespace(rs), Meta.name(rs)));
            }
        }

        // ---- scaling ----

        ObjectNode byName(String name) {
            if (newSet != null && Meta.name(newSet).equals(name)) return newSet;
            return olds.stream().filter(rs -> Meta.name(rs).equals(name)).findFirst().orElseThrow();
        }

        /** Scales one ReplicaSet and notes, as Kubernetes does, for which Deployment size. */
        void scale(ObjectNode rs, int target) {
            int current = Json.integer(rs, "spec.replicas", 0);
            String desired = Integer.toString(replicas);
            String max = Integer.toString(replicas + limits.maxSurge());
            if (current == target && desired.equals(Meta.annotations(rs).get(DESIRED_REPLICAS_ANNOTATION))
                    && max.equals(Meta.annotations(rs).get(MAX_REPLICAS_ANNOTATION))) {
                return;
            }
            ObjectNode updated = objects.update(ObjectKey.of(rs), r -> {
                ((ObjectNode) r.get("spec")).put("replicas", target);
                ObjectNode annotations = Json.objectAt(r, "metadata.annotations");
                annotations.put(DESIRED_REPLICAS_ANNOTATION, desired);
                annotations.put(MAX_REPLICAS_ANNOTATION, max);
                return r;
            }, true).orElse(null);
            if (updated == null) return;
            if (newSet != null && Meta.uid(newSet).equals(Meta.uid(rs))) newSet = updated;
            else olds.replaceAll(o -> Meta.uid(o).equals(Meta.uid(rs)) ? updated : o);
            if (current != target) recordScale(rs, target, current);
        }

        /** "Scaled up replica set web-6475c89d5b to 1 from 0", Kubernetes' words. */
        void recordScale(ObjectNode rs, int target, int from) {
            String verb = target > from ? "up" : "down";
            objects.events().normal(deployment, "ScalingReplicaSet",
                    "Scaled " + verb + " replica set " + Meta.name(rs) + " to " + target + " from " + from,
                    "deployment-controller");
        }

        // ---- status and conditions ----

        /** Kubernetes' {@code calculateStatus}, without the conditions. */
        ObjectNode calculateStatus() {
            int actual = 0, ready = 0, available = 0, specTotal = 0;
            List<ObjectNode> all = new ArrayList<>(olds);
            if (newSet != null) all.add(newSet);
            for (ObjectNode rs : all) {
                actual += Json.integer(rs, "status.replicas", 0);
                ready += Json.integer(rs, "status.readyReplicas", 0);
                available += Json.integer(rs, "status.availableReplicas", 0);
                specTotal += Json.integer(rs, "spec.replicas", 0);
            }
            ObjectNode s = Json.object();
            s.put("observedGeneration", Json.integer(deployment, "metadata.generation", 1));
            s.put("replicas", actual);
            s.put("updatedReplicas", newSet == null ? 0 : Json.integer(newSet, "status.replicas", 0));
            s.put("readyReplicas", ready);
            s.put("availableReplicas", available);
            s.put("unavailableReplicas", Math.max(0, specTotal - available));
            return s;
        }

        /** Kubernetes' {@code DeploymentComplete}: every replica updated and available, no old pods left. */
        boolean complete(ObjectNode s) {
            return s.path("updatedReplicas").asInt() == replicas && s.path("replicas").asInt() == replicas
                    && s.path("availableReplicas").asInt() == replicas
                    && s.path("observedGeneration").asInt() >= Json.integer(deployment, "metadata.generation", 1);
        }

        /** Kubernetes' {@code DeploymentProgressing}: more updated, fewer old, more ready or more available pods. */
        boolean progressing(ObjectNode s) {
            int oldOld = status.path("replicas").asInt() - status.path("updatedReplicas").asInt();
            int newOld = s.path("replicas").asInt() - s.path("updatedReplicas").asInt();
            return s.path("updatedReplicas").asInt() > status.path("updatedReplicas").asInt()
                    || newOld < oldOld
                    || s.path("readyReplicas").asInt() > status.path("readyReplicas").asInt()
                    || s.path("availableReplicas").asInt() > status.path("availableReplicas").asInt();
        }

        /**
         * Kubernetes' {@code DeploymentTimedOut}: no progress recorded (the Progressing
         * condition's lastUpdateTime) for progressDeadlineSeconds. Deadline 600 s, last progress
         * 12:00:00: at 12:10:01 the rollout has timed out. It keeps going anyway; only the
         * condition says it is stuck.
         */
        boolean timedOut() {
            ObjectNode c = condition("Progressing");
            if (c == null) return false;
            String reason = c.path("reason").asText();
            if (NEW_RS_AVAILABLE.equals(reason)) return false;
            if (TIMED_OUT.equals(reason)) return true;
            Instant from = Times.parse(c.path("lastUpdateTime").asText(null));
            if (from == null) return false;
            int deadline = Json.integer(deployment, "spec.progressDeadlineSeconds", 600);
            return from.plusSeconds(deadline).isBefore(objects.clock().instant());
        }

        /** Kubernetes' {@code syncRolloutStatus}: the Progressing condition of a rollout. */
        void syncRolloutStatus() {
            if (!hasProgressDeadline()) return;
            ObjectNode s = calculateStatus();
            ObjectNode current = condition("Progressing");
            boolean alreadyComplete = s.path("replicas").asInt() == s.path("updatedReplicas").asInt()
                    && current != null && NEW_RS_AVAILABLE.equals(current.path("reason").asText());
            if (alreadyComplete || newSet == null) return;
            String rsName = "ReplicaSet \"" + Meta.name(newSet) + "\"";
            if (complete(s)) {
                setCondition("Progressing", "True", NEW_RS_AVAILABLE, rsName + " has successfully progressed.", false);
            } else if (progressing(s)) {
                setCondition("Progressing", "True", RS_UPDATED, rsName + " is progressing.", true);
            } else if (timedOut()) {
                setCondition("Progressing", "False", TIMED_OUT, rsName + " has timed out progressing.", false);
            }
        }

        /** Kubernetes' {@code checkPausedConditions}: Unknown while paused, and once on resume. */
        void checkPausedConditions() {
            if (!hasProgressDeadline()) return;
            ObjectNode c = condition("Progressing");
            boolean pausedCond = c != null && PAUSED.equals(c.path("reason").asText());
            if (paused && !pausedCond) setCondition("Progressing", "Unknown", PAUSED, "Deployment is paused", false);
            else if (!paused && pausedCond) setCondition("Progressing", "Unknown", RESUMED, "Deployment is resumed", false);
        }

        void writeStatus() {
            ObjectNode s = calculateStatus();
            status.setAll(s);
            int minAvailable = replicas - RollingUpdatePlanner.maxUnavailable(limits, replicas);
            if (s.path("availableReplicas").asInt() >= minAvailable) {
                Conditions.set(status, "Available", "True", "MinimumReplicasAvailable",
                        "Deployment has minimum availability.", objects.clock());
            } else {
                Conditions.set(status, "Available", "False", "MinimumReplicasUnavailable",
                        "Deployment does not have minimum availability.", objects.clock());
            }
            String rev = newSet == null ? null : revision;
            boolean revisionChanged = rev != null && !rev.equals(Meta.annotations(deployment).get(REVISION_ANNOTATION));
            objects.update(ObjectKey.of(deployment), d -> {
                d.set("status", status);
                if (rev != null) Json.objectAt(d, "metadata.annotations").put(REVISION_ANNOTATION, rev);
                return d;
            }, revisionChanged);
        }

        boolean hasProgressDeadline() {
            JsonNode deadline = Json.at(deployment, "spec.progressDeadlineSeconds");
            return deadline.isMissingNode() || deadline.isNull() || deadline.asInt() != Integer.MAX_VALUE;
        }

        ObjectNode condition(String type) {
            for (JsonNode c : status.path("conditions")) {
                if (type.equals(c.path("type").asText())) return (ObjectNode) c;
            }
            return null;
        }

        void setCondition(String type, String value, String reason, String message, boolean touch) {
            Conditions.set(status, type, value, reason, message, objects.clock());
            if (touch) condition(type).put("lastUpdateTime", Times.now(objects.clock()));
        }
    }

    private ObjectNode createReplicaSet(ObjectNode deployment, String hash, String revision, int replicas,
                                        String desiredReplicas, String maxReplicas) {
        ObjectNode template = (ObjectNode) Json.at(deployment, "spec.template");
        ObjectNode rs = Meta.newObject(Kind.REPLICA_SET, Meta.namespace(deployment), Meta.name(deployment) + "-" + hash);
        ObjectNode meta = (ObjectNode) rs.get("metadata");
        ObjectNode labels = meta.putObject("labels");
        Meta.labels(template).forEach(labels::put);
        labels.put(TEMPLATE_HASH_LABEL, hash);
        ObjectNode annotations = meta.putObject("annotations");
        annotations.put(REVISION_ANNOTATION, revision);
        annotations.put(DESIRED_REPLICAS_ANNOTATION, desiredReplicas);
        annotations.put(MAX_REPLICAS_ANNOTATION, maxReplicas);
        meta.putArray("ownerReferences").add(Pods.controllerRef(deployment));

        ObjectNode spec = rs.putObject("spec");
        spec.put("replicas", replicas);
        ObjectNode selector = Json.at(deployment, "spec.selector").deepCopy();
        Json.objectAt(selector, "matchLabels").put(TEMPLATE_HASH_LABEL, hash);
        spec.set("selector", selector);
        ObjectNode podTemplate = template.deepCopy();
        Json.objectAt(podTemplate, "metadata.labels").put(TEMPLATE_HASH_LABEL, hash);
        spec.set("template", podTemplate);
        if (Json.at(deployment, "spec.minReadySeconds").isNumber()) {
            spec.set("minReadySeconds", Json.at(deployment, "spec.minReadySeconds"));
        }
        return objects.create(rs, true);
    }

    static RollingUpdatePlanner.ReplicaSetState state(ObjectNode rs) {
        return new RollingUpdatePlanner.ReplicaSetState(Meta.name(rs), Json.integer(rs, "spec.replicas", 0),
                Json.integer(rs, "status.availableReplicas", 0));
    }

    static long revisionOf(ObjectNode rs) {
        try {
            return Long.parseLong(Meta.annotations(rs).getOrDefault(REVISION_ANNOTATION, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Comparator<ObjectNode> byCreation() {
        return Comparator.comparing((ObjectNode rs) -> String.valueOf(Json.text(rs, "metadata.creationTimestamp")))
                .thenComparing(Meta::name);
    }

    /** Old ReplicaSets first by revision: used by describe and rollout history. */
    static Comparator<ObjectNode> byRevision() {
        return Comparator.comparingLong(DeploymentController::revisionOf);
    }
}

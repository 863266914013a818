package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.store.ObjectKey;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * StatefulSet → pods {@code NAME-start … NAME-(start+n-1)} ({@code ordinals.start}, 0 by default)
 * and their claims, as Kubernetes' {@code pkg/controller/statefulset} does it (one pass = one
 * {@code updateStatefulSet}):
 * <ol>
 *   <li>for each ordinal in range: create the missing claims from {@code volumeClaimTemplates},
 *       then the missing pod; a Failed pod is deleted to be made again. {@code OrderedReady} (the
 *       default) stops at the first pod that was just made or is not available (Running, Ready,
 *       and Ready for {@code minReadySeconds}); {@code Parallel} goes on;</li>
 *   <li>pods outside the range are deleted from the highest ordinal; OrderedReady deletes one
 *       at a time and only while every lower pod is available;</li>
 *   <li>RollingUpdate: from the highest ordinal down to {@code partition}, the first pod of an
 *       older revision is deleted (and is made again next pass with the new template); a pod
 *       that is not available stops the walk, so one pod changes at a time. {@code OnDelete}
 *       skips this step: a pod gets the new template only when someone deletes it.</li>
 * </ol>
 * A pod's revision is its {@code controller-revision-hash} label: the set's name and the
 * template hash ({@code db-6475c89d5b}), Kubernetes' ControllerRevision name. The update is
 * complete ({@code currentRevision} = {@code updateRevision}) once every pod is updated and
 * ready, for both strategies, as Kubernetes' {@code completeUpdate} does since
 * kubernetes/kubernetes#136833 (before it, an OnDelete set kept its old currentRevision).
 *
 * <p>{@code minReadySeconds}: a pod that turns available changes nothing in the store, so no
 * event wakes this controller then; the {@link ControllerManager}'s resync pass sees it (where
 * Kubernetes re-queues the set after {@code minReadySeconds}).
 *
 * <p>Claims follow {@code persistentVolumeClaimRetentionPolicy} through owner references, as
 * in Kubernetes, and the {@link GarbageCollector} deletes a claim whose owner is gone: with
 * {@code whenDeleted: Delete} the set owns its claims; with {@code whenScaled: Delete} a pod
 * being scaled away owns its claims and takes them with it. Under {@code Retain} (the default)
 * nobody owns them and they survive. Either way a claim goes only once no pod uses it
 * ({@code kubernetes.io/pvc-protection}).
 *
 * <p>Not (yet) done: ControllerRevision objects, so a pod below the partition that is made
 * again gets the new template (Kubernetes would restore the old one).
 */
public final class StatefulSetController implements Controller {
    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    public static final String REVISION_LABEL = "controller-revision-hash";
    private static final String COMPONENT = "statefulset-controller";

    private final ObjectService objects;
    private final FailedSyncs failedSyncs;

    public StatefulSetController(ObjectService objects) {
        this.objects = objects;
        this.failedSyncs = new FailedSyncs(objects, COMPONENT);
    }

    @Override
    public String name() { return "statefulset"; }

    @Override
    public void reconcile() {
        Map<String, List<ObjectNode>> podsByOwner = ObjectService.byOwnerUid(objects.store().list(Kind.POD, null));
        failedSyncs.syncEach(objects.store().list(Kind.STATEFUL_SET, null), set -> {
            if (!Meta.deleting(set)) sync(set, podsByOwner.getOrDefault(Meta.uid(set), List.of()));
        });
    }

    /** The ordinal in {@code NAME-7}, or -1 when the name is not one of this set's. */
    static int ordinal(String setName, String podName) {
        if (podName == null || !podName.startsWith(setName + "-")) return -1;
        String rest = podName.substring(setName.length() + 1);
        if (rest.isEmpty() || rest.length() > 9 || !rest.chars().allMatch(Character::isDigit)) return -1;
        if (rest.length() > 1 && rest.charAt(0) == '0') return -1;
        return Integer.parseInt(rest);
    }

    /** {@code spec.ordinals.start}: the first pod is {@code NAME-start}. */
    static int startOrdinal(ObjectNode set) {
        return Math.max(0, Json.integer(set, "spec.ordinals.start", 0));
    }

    static String revisionOf(ObjectNode set) {
        return Meta.name(set) + "-" + Names.templateHash(Json.at(set, "spec.template"));
    }

    static boolean runningAndReady(ObjectNode pod) {
        return "Running".equals(Json.text(pod, "status.phase")) && Pods.isReady(pod) && !Meta.deleting(pod);
    }

    /** Kubernetes' isRunningAndAvailable: Running and Ready, for at least the set's {@code minReadySeconds}. */
    private boolean runningAndAvailable(ObjectNode set, ObjectNode pod) {
        int minReadySeconds = Json.integer(set, "spec.minReadySeconds", 0);
        return runningAndReady(pod) && Availability.isAvailable(pod, minReadySeconds, objects.clock().instant());
    }

    private static boolean finished(ObjectNode pod) {
        String phase = Json.text(pod, "status.phase");
        return "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    private void sync(ObjectNode set, List<ObjectNode> owned) {
        String setName = Meta.name(set);
        int replicas = Json.integer(set, "spec.replicas", 1);
        int start = startOrdinal(set);
        boolean monotonic = !"Parallel".equals(Json.text(set, "spec.podManagementPolicy"));
        String updateRevision = revisionOf(set);
        String currentRevision = Json.text(set, "status.currentRevision");
        if (currentRevision == null) currentRevision = updateRevision;

        TreeMap<Integer, ObjectNode> byOrdinal = new TreeMap<>();
        for (ObjectNode p : owned) {
            int ord = ordinal(setName, Meta.name(p));
            if (ord >= 0) byOrdinal.put(ord, p);
        }
        ObjectNode[] replicaPods = new ObjectNode[replicas]; // replicaPods[i] is ordinal start + i
        List<ObjectNode> condemned = new ArrayList<>();
        byOrdinal.forEach((ord, p) -> {
            if (ord >= start && ord < start + replicas) replicaPods[ord - start] = p;
            else condemned.add(p);
        });
        condemned.sort((a, b) -> ordinal(setName, Meta.name(b)) - ordinal(setName, Meta.name(a))); // highest first

        boolean blocked = false;
        // 1. make what is missing, in ordinal order
        for (int i = 0; i < replicas && !blocked; i++) {
            ObjectNode pod = replicaPods[i];
            if (pod != null && finished(pod) && !Meta.deleting(pod)) {
                deletePod(set, pod);
                replicaPods[i] = null;
                if (monotonic) blocked = true;
                continue;
            }
            if (pod == null) {
                if (claimsLeftToAnEarlierPod(set, start + i)) {
                    if (monotonic) blocked = true; // they go with that pod; the new one gets new claims
                    continue;
                }
                replicaPods[i] = createPod(set, start + i);
                if (monotonic) blocked = true;
                continue;
            }
            if (Meta.deleting(pod)) {
                if (monotonic) blocked = true; // its name comes back once the agent has stopped it
                continue;
            }
            setClaimOwners(set, pod, false);
            if (!runningAndAvailable(set, pod) && monotonic) blocked = true;
        }
        // 2. scale down, highest ordinal first
        if (!blocked) {
            for (ObjectNode pod : condemned) setClaimOwners(set, pod, true); // before any goes: whenScaled
            for (ObjectNode pod : condemned) {
                if (Meta.deleting(pod)) {
                    if (monotonic) break;
                    continue;
                }
                if (monotonic) {
                    int ord = ordinal(setName, Meta.name(pod));
                    boolean lowerAvailable = true;
                    for (ObjectNode replica : replicaPods) lowerAvailable &= replica != null && runningAndAvailable(set, replica);
                    for (ObjectNode other : condemned) {
                        if (ordinal(setName, Meta.name(other)) < ord) lowerAvailable &= runningAndAvailable(set, other);
                    }
                    if (!lowerAvailable) break;
                }
                deletePod(set, pod);
                if (monotonic) break;
            }
            blocked = monotonic && !condemned.isEmpty();
        }
        // 3. rolling update, highest ordinal down to the partition, one pod at a time
        boolean rolling = !"OnDelete".equals(Json.text(set, "spec.updateStrategy.type"));
        if (!blocked && rolling) {
            int partition = Math.max(0, Json.integer(set, "spec.updateStrategy.rollingUpdate.partition", 0));
            for (int i = replicas - 1; i >= partition; i--) { // the partition counts from the start ordinal
                ObjectNode pod = replicaPods[i];
                if (pod == null) break;
                if (!updateRevision.equals(Meta.labels(pod).get(REVISION_LABEL)) && !Meta.deleting(pod)) {
                    deletePod(set, pod);
                    break;
                }
                if (!runningAndAvailable(set, pod)) break;
            }
        }
        writeStatus(set, currentRevision, updateRevision);
    }

    private ObjectNode createPod(ObjectNode set, int ord) {
        String podName = Meta.name(set) + "-" + ord;
        for (ObjectNode claim : claimsFor(set, ord)) {
            if (objects.get(Kind.PERSISTENT_VOLUME_CLAIM, Meta.namespace(set), Meta.name(claim)).isPresent()) continue;
            objects.create(claim, true);
            objects.events().normal(set, "SuccessfulCreate", "create Claim " + Meta.name(claim) + " Pod " + podName
                    + " in StatefulSet " + Meta.name(set) + " success", COMPONENT);
        }
        ObjectNode pod = objects.create(podFor(set, ord), true);
        objects.events().normal(set, "SuccessfulCreate", "create Pod " + podName + " in StatefulSet "
                + Meta.name(set) + " successful", COMPONENT);
        return pod;
    }

    private void deletePod(ObjectNode set, ObjectNode pod) {
        objects.delete(Kind.POD, Meta.namespace(pod), Meta.name(pod));
        objects.events().normal(set, "SuccessfulDelete", "delete Pod " + Meta.name(pod) + " in StatefulSet "
                + Meta.name(set) + " successful", COMPONENT);
    }

    /** {@code <template>-<set>-<ordinal>}: the claims of one ordinal, as the templates describe them. */
    static List<ObjectNode> claimsFor(ObjectNode set, int ord) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode t : Json.at(set, "spec.volumeClaimTemplates")) {
            ObjectNode claim = Meta.newObject(Kind.PERSISTENT_VOLUME_CLAIM, Meta.namespace(set),
                    claimName(t.path("metadata").path("name").asText(), Meta.name(set), ord));
            ObjectNode meta = (ObjectNode) claim.get("metadata");
            ObjectNode labels = meta.putObject("labels");
            if (t.path("metadata").path("labels").isObject()) labels.setAll((ObjectNode) t.path("metadata").path("labels"));
            // Kubernetes adds the set's selector labels too (getPersistentVolumeClaims)
            JsonNode match = Json.at(set, "spec.selector.matchLabels");
            if (match.isObject()) labels.setAll((ObjectNode) match.deepCopy());
            if (labels.isEmpty()) meta.remove("labels");
            if (t.path("metadata").path("annotations").isObject()) {
                meta.set("annotations", t.path("metadata").path("annotations").deepCopy());
            }
            claim.set("spec", t.path("spec").isObject() ? t.path("spec").deepCopy() : Json.object());
            ObjectNode owner = claimOwner(set, null, false);
            if (owner != null) meta.putArray("ownerReferences").add(owner);
            out.add(claim);
        }
        return out;
    }

    /**
     * Who owns a claim under {@code persistentVolumeClaimRetentionPolicy} (Kubernetes'
     * {@code updateClaimOwnerRefForSetAndPod}): the pod once its ordinal is scaled away and
     * {@code whenScaled} is Delete, so the claim goes with that pod; otherwise the set when
     * {@code whenDeleted} is Delete; otherwise nobody, and the claim stays.
     */
    static ObjectNode claimOwner(ObjectNode set, ObjectNode pod, boolean scaledDown) {
        if (scaledDown && "Delete".equals(Json.text(set, "spec.persistentVolumeClaimRetentionPolicy.whenScaled"))) {
            return Pods.controllerRef(pod);
        }
        boolean deleteWithSet = "Delete".equals(Json.text(set, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted"));
        return deleteWithSet ? Pods.controllerRef(set) : null;
    }

    /**
     * Gives the pod's claims the owner {@link #claimOwner} names, in place of the set or this pod.
     * A claim some other controller owns is left alone, as Kubernetes leaves it.
     */
    private void setClaimOwners(ObjectNode set, ObjectNode pod, boolean scaledDown) {
        ObjectNode owner = claimOwner(set, pod, scaledDown);
        for (ObjectNode wanted : claimsFor(set, ordinal(Meta.name(set), Meta.name(pod)))) {
            objects.update(ObjectKey.of(wanted), claim -> {
                String controller = ObjectService.controllerUid(claim);
                if (controller != null && !controller.equals(Meta.uid(set)) && !controller.equals(Meta.uid(pod))) return null;
                ObjectNode meta = Json.objectAt(claim, "metadata");
                ArrayNode refs = meta.has("ownerReferences") ? (ArrayNode) meta.get("ownerReferences") : meta.putArray("ownerReferences");
                for (Iterator<JsonNode> it = refs.iterator(); it.hasNext(); ) {
                    String uid = it.next().path("uid").asText();
                    if (uid.equals(Meta.uid(set)) || uid.equals(Meta.uid(pod))) it.remove();
                }
                if (owner != null) refs.add(owner);
                if (refs.isEmpty()) meta.remove("ownerReferences");
                return claim;
            }, true);
        }
    }

    /**
     * Kubernetes' {@code PodClaimIsStale}: with {@code whenScaled: Delete}, a claim still owned by an
     * earlier pod of this ordinal is about to be deleted with it. The new pod waits for fresh claims
     * rather than start on one that is going.
     */
    private boolean claimsLeftToAnEarlierPod(ObjectNode set, int ord) {
        if (!"Delete".equals(Json.text(set, "spec.persistentVolumeClaimRetentionPolicy.whenScaled"))) return false;
        String podName = Meta.name(set) + "-" + ord;
        for (ObjectNode wanted : claimsFor(set, ord)) {
            ObjectNode claim = objects.store().get(ObjectKey.of(wanted)).orElse(null);
            if (claim == null) continue;
            for (JsonNode ref : Json.at(claim, "metadata.ownerReferences")) {
                if ("Pod".equals(ref.path("kind").asText()) && podName.equals(ref.path("name").asText())) return true;
            }
        }
        return false;
    }

    static String claimName(String template, String setName, int ord) {
        return template + "-" + setName + "-" + ord;
    }

    static ObjectNode podFor(ObjectNode set, int ord) {
        String setName = Meta.name(set);
        String podName = setName + "-" + ord;
        ObjectNode template = (ObjectNode) Json.at(set, "spec.template");
        ObjectNode pod = Meta.newObject(Kind.POD, Meta.namespace(set), podName);
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        ObjectNode labels = meta.putObject("labels");
        if (template.at("/metadata/labels").isObject()) labels.setAll((ObjectNode) template.at("/metadata/labels").deepCopy());
        labels.put(POD_NAME_LABEL, podName);
        labels.put(REVISION_LABEL, revisionOf(set));
        if (template.at("/metadata/annotations").isObject()) {
            meta.set("annotations", template.at("/metadata/annotations").deepCopy());
        }
        meta.putArray("ownerReferences").add(Pods.controllerRef(set));
        ObjectNode spec = template.get("spec").deepCopy();
        pod.set("spec", spec);
        spec.put("hostname", podName);
        String service = Json.text(set, "spec.serviceName");
        if (service != null && !service.isEmpty()) spec.put("subdomain", service);
        ArrayNode volumes = spec.has("volumes") && spec.get("volumes").isArray() ? (ArrayNode) spec.get("volumes") : null;
        for (JsonNode t : Json.at(set, "spec.volumeClaimTemplates")) {
            String volume = t.path("metadata").path("name").asText();
            if (volumes == null) volumes = spec.putArray("volumes");
            for (Iterator<JsonNode> it = volumes.iterator(); it.hasNext(); ) {
                if (volume.equals(it.next().path("name").asText())) it.remove(); // the claim wins, as in Kubernetes
            }
            ObjectNode v = volumes.addObject();
            v.put("name", volume);
            v.putObject("persistentVolumeClaim").put("claimName", claimName(volume, setName, ord));
        }
        return pod;
    }

    private void writeStatus(ObjectNode set, String currentRevision, String updateRevision) {
        // read the pods again: this pass may have made or deleted some
        List<ObjectNode> pods = new ArrayList<>();
        for (ObjectNode p : objects.store().list(Kind.POD, Meta.namespace(set))) {
            if (Meta.uid(set).equals(ObjectService.controllerUid(p)) && ordinal(Meta.name(set), Meta.name(p)) >= 0) pods.add(p);
        }
        int replicas = 0, ready = 0, current = 0, updated = 0, available = 0;
        for (ObjectNode p : pods) {
            if (Meta.deleting(p)) continue;
            replicas++;
            if (runningAndReady(p)) {
                ready++;
                if (runningAndAvailable(set, p)) available++;
            }
            String rev = Meta.labels(p).get(REVISION_LABEL);
            if (currentRevision.equals(rev)) current++;
            if (updateRevision.equals(rev)) updated++;
        }
        int want = Json.integer(set, "spec.replicas", 1);
        // Kubernetes' completeUpdate: the update is done when every pod runs the new revision and is ready
        // (ready, not available: Kubernetes does not wait out minReadySeconds here either)
        String newCurrent = currentRevision;
        if (updated == want && ready == want && replicas == want) {
            newCurrent = updateRevision;
            current = updated;
        }
        final String cur = newCurrent;
        final int r = replicas, rd = ready, c = current, u = updated, a = available;
        objects.update(ObjectKey.of(set), s -> {
            ObjectNode status = Json.objectAt(s, "status");
            status.put("observedGeneration", Json.integer(s, "metadata.generation", 1));
            status.put("replicas", r);
            status.put("readyReplicas", rd);
            status.put("currentReplicas", c);
            status.put("updatedReplicas", u);
            status.put("availableReplicas", a);
            status.put("currentRevision", cur);
            status.put("updateRevision", updateRevision);
            status.put("collisionCount", 0);
            return s;
        }, false);
    }
}

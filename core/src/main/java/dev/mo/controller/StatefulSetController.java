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
 * StatefulSet → pods {@code NAME-0 … NAME-(n-1)} and their claims, as Kubernetes'
 * {@code pkg/controller/statefulset} does it (one pass = one {@code updateStatefulSet}):
 * <ol>
 *   <li>for each ordinal below {@code replicas}: create the missing claims from
 *       {@code volumeClaimTemplates}, then the missing pod; a Failed pod is deleted to be made
 *       again. {@code OrderedReady} (the default) stops at the first pod that was just made or is
 *       not Running and Ready; {@code Parallel} goes on;</li>
 *   <li>pods at or above {@code replicas} are deleted from the highest ordinal; OrderedReady
 *       deletes one at a time and only while every lower pod is Running and Ready;</li>
 *   <li>RollingUpdate: from the highest ordinal down to {@code partition}, the first pod of an
 *       older revision is deleted (and is made again next pass with the new template); a pod
 *       that is not Running and Ready stops the walk, so one pod changes at a time.</li>
 * </ol>
 * A pod's revision is its {@code controller-revision-hash} label: the set's name and the
 * template hash ({@code db-6475c89d5b}), Kubernetes' ControllerRevision name.
 *
 * <p>Claims are never owned by the set: they survive scale-down and the set's deletion,
 * Kubernetes' default {@code persistentVolumeClaimRetentionPolicy: Retain}.
 *
 * <p>Not (yet) done: ControllerRevision objects, so a pod below the partition that is made
 * again gets the new template (Kubernetes would restore the old one); {@code OnDelete};
 * {@code minReadySeconds}; {@code ordinals.start}; retention policy {@code Delete}.
 */
public final class StatefulSetController implements Controller {
    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    public static final String REVISION_LABEL = "controller-revision-hash";
    private static final String COMPONENT = "statefulset-controller";

    private final ObjectService objects;

    public StatefulSetController(ObjectService objects) { this.objects = objects; }

    @Override
    public String name() { return "statefulset"; }

    @Override
    public void reconcile() {
        Map<String, List<ObjectNode>> podsByOwner = ObjectService.byOwnerUid(objects.store().list(Kind.POD, null));
        for (ObjectNode set : objects.store().list(Kind.STATEFUL_SET, null)) {
            if (Meta.deleting(set)) continue;
            sync(set, podsByOwner.getOrDefault(Meta.uid(set), List.of()));
        }
    }

    /** The ordinal in {@code NAME-7}, or -1 when the name is not one of this set's. */
    static int ordinal(String setName, String podName) {
        if (podName == null || !podName.startsWith(setName + "-")) return -1;
        String rest = podName.substring(setName.length() + 1);
        if (rest.isEmpty() || rest.length() > 9 || !rest.chars().allMatch(Character::isDigit)) return -1;
        if (rest.length() > 1 && rest.charAt(0) == '0') return -1;
        return Integer.parseInt(rest);
    }

    static String revisionOf(ObjectNode set) {
        return Meta.name(set) + "-" + Names.templateHash(Json.at(set, "spec.template"));
    }

    static boolean runningAndReady(ObjectNode pod) {
        return "Running".equals(Json.text(pod, "status.phase")) && Pods.isReady(pod) && !Meta.deleting(pod);
    }

    private static boolean finished(ObjectNode pod) {
        String phase = Json.text(pod, "status.phase");
        return "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    private void sync(ObjectNode set, List<ObjectNode> owned) {
        String setName = Meta.name(set);
        int replicas = Json.integer(set, "spec.replicas", 1);
        boolean monotonic = !"Parallel".equals(Json.text(set, "spec.podManagementPolicy"));
        String updateRevision = revisionOf(set);
        String currentRevision = Json.text(set, "status.currentRevision");
        if (currentRevision == null) currentRevision = updateRevision;

        TreeMap<Integer, ObjectNode> byOrdinal = new TreeMap<>();
        for (ObjectNode p : owned) {
            int ord = ordinal(setName, Meta.name(p));
            if (ord >= 0) byOrdinal.put(ord, p);
        }
        ObjectNode[] replicaPods = new ObjectNode[replicas];
        List<ObjectNode> condemned = new ArrayList<>();
        byOrdinal.forEach((ord, p) -> {
            if (ord < replicas) replicaPods[ord] = p;
            else condemned.add(p);
        });
        condemned.sort((a, b) -> ordinal(setName, Meta.name(b)) - ordinal(setName, Meta.name(a))); // highest first

        boolean blocked = false;
        // 1. make what is missing, in ordinal order
        for (int ord = 0; ord < replicas && !blocked; ord++) {
            ObjectNode pod = replicaPods[ord];
            if (pod != null && finished(pod) && !Meta.deleting(pod)) {
                deletePod(set, pod);
                replicaPods[ord] = null;
                if (monotonic) blocked = true;
                continue;
            }
            if (pod == null) {
                replicaPods[ord] = createPod(set, ord);
                if (monotonic) blocked = true;
                continue;
            }
            if (Meta.deleting(pod)) {
                if (monotonic) blocked = true; // its name comes back once the agent has stopped it
                continue;
            }
            if (!runningAndReady(pod) && monotonic) blocked = true;
        }
        // 2. scale down, highest ordinal first
        if (!blocked) {
            for (int i = 0; i < condemned.size(); i++) {
                ObjectNode pod = condemned.get(i);
                if (Meta.deleting(pod)) {
                    if (monotonic) break;
                    continue;
                }
                if (monotonic) {
                    int ord = ordinal(setName, Meta.name(pod));
                    boolean lowerReady = true;
                    for (int j = 0; j < replicas; j++) lowerReady &= replicaPods[j] != null && runningAndReady(replicaPods[j]);
                    for (ObjectNode other : condemned) {
                        if (ordinal(setName, Meta.name(other)) < ord) lowerReady &= runningAndReady(other);
                    }
                    if (!lowerReady) break;
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
            for (int ord = replicas - 1; ord >= partition; ord--) {
                ObjectNode pod = replicaPods[ord];
                if (pod == null) break;
                if (!updateRevision.equals(Meta.labels(pod).get(REVISION_LABEL)) && !Meta.deleting(pod)) {
                    deletePod(set, pod);
                    break;
                }
                if (!runningAndReady(pod)) break;
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
            out.add(claim);
        }
        return out;
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
                available++; // minReadySeconds is not acted on: ready is available
            }
            String rev = Meta.labels(p).get(REVISION_LABEL);
            if (currentRevision.equals(rev)) current++;
            if (updateRevision.equals(rev)) updated++;
        }
        int want = Json.integer(set, "spec.replicas", 1);
        // Kubernetes' completeRollingUpdate: the rollout is done when every pod runs the new revision and is ready
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

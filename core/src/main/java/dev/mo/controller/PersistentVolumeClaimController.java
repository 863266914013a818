package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.manifest.Quantity;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Pods;
import dev.mo.store.ObjectKey;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PersistentVolumeClaims: binding, growth, and the node a claim's data lives on.
 *
 * <p>mo has no PersistentVolumes and no provisioner: a claim's storage is a Docker volume that
 * the agent makes on the node where the first pod using the claim runs. There is nothing to
 * wait for, so a claim is {@code Bound} at once: {@code status.capacity.storage} is what it
 * requests and {@code status.accessModes} what it asks for. A local Docker volume has no fixed
 * size, so a grown {@code resources.requests.storage} is simply reflected in the capacity, with
 * a Normal event saying so (Kubernetes would run an expansion, then
 * {@code FileSystemResizeSuccessful}).
 *
 * <p>The node: when a pod using a claim is bound to a node, the claim gets the annotation
 * {@value #NODE_ANNOTATION} = that node (once, never moved), and the scheduler places every
 * later pod using the claim on that node: the data does not travel.
 *
 * <p>Protection, as Kubernetes' {@code kubernetes.io/pvc-protection}: every claim carries that
 * finalizer, so deleting a claim only marks it ({@code Terminating}); once no pod that has
 * not finished (Succeeded or Failed) names it, the finalizer is removed and the claim goes.
 * Its Docker volume stays on its node, as a Retain policy would keep it.
 */
public final class PersistentVolumeClaimController implements Controller {
    public static final String NODE_ANNOTATION = "mo.dev/node";
    private static final String COMPONENT = "persistentvolume-controller";

    private final ObjectService objects;

    public PersistentVolumeClaimController(ObjectService objects) { this.objects = objects; }

    @Override
    public String name() { return "persistentvolumeclaim"; }

    @Override
    public void reconcile() {
        List<ObjectNode> pods = objects.store().list(Kind.POD, null);
        Map<String, String> firstNode = claimNodes(pods);
        Set<String> inUse = claimsInUse(pods);
        for (ObjectNode claim : objects.store().list(Kind.PERSISTENT_VOLUME_CLAIM, null)) {
            String key = Meta.namespace(claim) + "/" + Meta.name(claim);
            if (!Meta.deleting(claim)) sync(claim, firstNode.get(key));
            else if (!inUse.contains(key)) objects.removeFinalizer(ObjectKey.of(claim), ObjectService.PVC_PROTECTION);
        }
    }

    /** namespace/claim of every claim a pod that has not finished names (a pod being deleted still uses it). */
    static Set<String> claimsInUse(List<ObjectNode> pods) {
        Set<String> out = new HashSet<>();
        for (ObjectNode pod : pods) {
            if (Pods.finished(pod)) continue;
            for (String claim : claimNames(pod)) out.add(Meta.namespace(pod) + "/" + claim);
        }
        return out;
    }

    /** namespace/claim → the node of a bound pod using it (the oldest one, when several). */
    static Map<String, String> claimNodes(List<ObjectNode> pods) {
        Map<String, String> out = new HashMap<>();
        Map<String, String> since = new HashMap<>();
        for (ObjectNode pod : pods) {
            String node = Pods.nodeName(pod);
            if (node == null) continue;
            String created = Json.text(pod, "metadata.creationTimestamp");
            for (String claim : claimNames(pod)) {
                String key = Meta.namespace(pod) + "/" + claim;
                String seen = since.get(key);
                if (seen == null || (created != null && created.compareTo(seen) < 0)) {
                    out.put(key, node);
                    since.put(key, created == null ? "" : created);
                }
            }
        }
        return out;
    }

    /** The claims a pod's volumes refer to. */
    public static List<String> claimNames(ObjectNode pod) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (JsonNode v : Json.at(pod, "spec.volumes")) {
            String claim = v.path("persistentVolumeClaim").path("claimName").asText("");
            if (!claim.isEmpty()) out.add(claim);
        }
        return out;
    }

    private void sync(ObjectNode claim, String node) {
        String requested = Json.text(claim, "spec.resources.requests.storage");
        String before = Json.text(claim, "status.capacity.storage");
        boolean grown = before != null && requested != null && !before.equals(requested) && bytes(requested) > bytes(before);
        objects.update(ObjectKey.of(claim), c -> {
            ObjectNode status = Json.objectAt(c, "status");
            status.put("phase", "Bound");
            // Bound to the Docker volume the agent makes for it (kubectl's VOLUME column).
            Json.objectAt(c, "spec").put("volumeName", dev.mo.model.Claims.dockerVolumeName(Meta.namespace(c), Meta.name(c)));
            // capacity never shrinks (a smaller request is refused by ObjectService, as by Kubernetes)
            if (requested != null && (before == null || grown)) Json.objectAt(status, "capacity").put("storage", requested);
            JsonNode modes = Json.at(c, "spec.accessModes");
            if (modes.isArray()) status.set("accessModes", modes.deepCopy());
            Meta.addFinalizer(c, ObjectService.PVC_PROTECTION); // claims stored before mo protected them
            if (node != null && !Meta.annotations(c).containsKey(NODE_ANNOTATION)) {
                Json.objectAt(c, "metadata.annotations").put(NODE_ANNOTATION, node);
            }
            return c;
        }, true).ifPresent(c -> {
            if (grown) {
                objects.events().normal(c, "FileSystemResizeSuccessful", "capacity is now " + requested + " (was "
                        + before + "): a local Docker volume has no fixed size, so nothing had to be resized", COMPONENT);
            }
        });
    }

    private static long bytes(String quantity) {
        try {
            return Quantity.parseBytes(quantity);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}

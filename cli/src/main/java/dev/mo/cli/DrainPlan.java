package dev.mo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Meta;
import dev.mo.model.Pods;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code mo drain NODE} will do with the pods on the node, decided before anything is
 * deleted, as {@code kubectl drain} decides it: a pure function of the pods.
 * <ul>
 *   <li>finished pods (Succeeded, Failed) are deleted, whatever else is true;</li>
 *   <li>a pod no controller owns is refused unless {@code --force} (nothing would recreate it);</li>
 *   <li>a DaemonSet's pod is refused unless {@code --ignore-daemonsets}, which leaves it running;</li>
 *   <li>a pod with an {@code emptyDir} volume is refused unless {@code --delete-emptydir-data}
 *       (its data goes with it).</li>
 * </ul>
 * The pods to evict come in waves: the pods of an owner that has a ready pod on another node
 * go in the first wave; of an owner whose every ready pod is on this node, one goes first and
 * the rest wait until its replacement is ready elsewhere, so the owner always keeps one ready
 * replica (when it has more than one).
 */
record DrainPlan(List<ObjectNode> evictNow, List<ObjectNode> evictAfterReplacement, List<ObjectNode> ignored,
                 List<String> refusals) {

    record Options(boolean force, boolean ignoreDaemonSets, boolean deleteEmptyDirData) {}

    /**
     * @param onNode  the pods bound to the node being drained
     * @param allPods every pod (to see which owners have ready pods elsewhere)
     */
    static DrainPlan of(String node, List<ObjectNode> onNode, List<ObjectNode> allPods, Options options) {
        List<ObjectNode> now = new ArrayList<>(), later = new ArrayList<>(), ignored = new ArrayList<>();
        List<String> unmanaged = new ArrayList<>(), daemonSets = new ArrayList<>(), localStorage = new ArrayList<>();
        Map<String, List<ObjectNode>> byOwner = new LinkedHashMap<>();
        for (ObjectNode pod : onNode) {
            if (pod.at("/metadata/deletionTimestamp").isTextual()) continue; // already leaving
            String ref = Meta.namespace(pod) + "/" + Meta.name(pod);
            JsonNode owner = controller(pod);
            if (Pods.finished(pod)) {
                now.add(pod);
                continue;
            }
            if (owner == null && !options.force()) {
                unmanaged.add(ref);
                continue;
            }
            if (owner != null && "DaemonSet".equals(owner.path("kind").asText())) {
                if (options.ignoreDaemonSets()) ignored.add(pod); else daemonSets.add(ref);
                continue;
            }
            if (hasEmptyDir(pod) && !options.deleteEmptyDirData()) {
                localStorage.add(ref);
                continue;
            }
            String key = owner == null ? "pod:" + ref : owner.path("uid").asText();
            byOwner.computeIfAbsent(key, k -> new ArrayList<>()).add(pod);
        }
        for (Map.Entry<String, List<ObjectNode>> e : byOwner.entrySet()) {
            List<ObjectNode> pods = e.getValue();
            if (readyElsewhere(node, e.getKey(), allPods) || pods.size() == 1) {
                now.addAll(pods);
            } else {
                now.add(pods.get(0));
                later.addAll(pods.subList(1, pods.size()));
            }
        }
        List<String> refusals = new ArrayList<>();
        // kubectl's words (pkg/drain/filters.go)
        if (!unmanaged.isEmpty()) refusals.add("cannot delete Pods that declare no controller (use --force to override): " + String.join(", ", unmanaged));
        if (!daemonSets.isEmpty()) refusals.add("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): " + String.join(", ", daemonSets));
        if (!localStorage.isEmpty()) refusals.add("cannot delete Pods with local storage (use --delete-emptydir-data to override): " + String.join(", ", localStorage));
        return new DrainPlan(now, later, ignored, refusals);
    }

    static JsonNode controller(ObjectNode pod) {
        for (JsonNode ref : pod.at("/metadata/ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) return ref;
        }
        return null;
    }

    /** Whether the owner {@code ownerUid} has a ready pod, not being deleted, on a node other than {@code node}. */
    static boolean readyElsewhere(String node, String ownerUid, List<ObjectNode> pods) {
        return pods.stream().anyMatch(p -> !node.equals(Json.text(p, "spec.nodeName")) && Pods.isReady(p)
                && !p.at("/metadata/deletionTimestamp").isTextual() && ownerUid.equals(ownerUid(p)));
    }

    static String ownerUid(ObjectNode pod) {
        JsonNode owner = controller(pod);
        return owner == null ? null : owner.path("uid").asText();
    }

    private static boolean hasEmptyDir(ObjectNode pod) {
        for (JsonNode v : pod.at("/spec/volumes")) if (v.has("emptyDir")) return true;
        return false;
    }
}

package dev.mo.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Questions controllers ask about pods. */
public final class Pods {
    private Pods() {}

    /** The pod's Ready condition is True: it may receive traffic. */
    public static boolean isReady(ObjectNode pod) {
        for (JsonNode c : Json.at(pod, "status.conditions")) {
            if ("Ready".equals(c.path("type").asText())) return "True".equals(c.path("status").asText());
        }
        return false;
    }

    /** Not being deleted and not finished: it counts towards its owner's replicas. */
    public static boolean isActive(ObjectNode pod) {
        return !Meta.deleting(pod) && !finished(pod);
    }

    /** Its containers have stopped for good: phase Succeeded or Failed. */
    public static boolean finished(ObjectNode pod) {
        String phase = Json.text(pod, "status.phase");
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    public static String nodeName(ObjectNode pod) { return Json.text(pod, "spec.nodeName"); }

    /** An owner reference to {@code owner}, marked as its controller (as Kubernetes writes it). */
    public static ObjectNode controllerRef(ObjectNode owner) {
        ObjectNode ref = Json.object();
        ref.put("apiVersion", Json.text(owner, "apiVersion"));
        ref.put("kind", Json.text(owner, "kind"));
        ref.put("name", Meta.name(owner));
        ref.put("uid", Meta.uid(owner));
        ref.put("controller", true);
        ref.put("blockOwnerDeletion", true);
        return ref;
    }
}

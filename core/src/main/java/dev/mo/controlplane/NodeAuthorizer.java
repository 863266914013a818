package dev.mo.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.store.Store;

import java.util.List;
import java.util.Optional;

/**
 * What a node's credential may do, after Kubernetes' Node authorizer: a node acts for itself
 * and for the pods bound to it, and reads only what those pods use. So a node taken over by
 * an attacker cannot read another namespace's Secrets, start or delete workloads, or report
 * for another node. The user's token is not checked here: it has every right.
 */
public final class NodeAuthorizer {
    private final Store store;

    public NodeAuthorizer(Store store) {
        this.store = store;
    }

    /** A node reports its own Node object and metrics, and watches its own pods. */
    public void requireSelf(String node, String named) {
        if (!node.equals(named)) throw forbidden(node, "act for node \"" + named + "\"");
    }

    /**
     * A node reports status, events and termination only for a pod bound to it. Empty when
     * the pod is gone (reports for it are ignored anyway, as before).
     */
    public Optional<ObjectNode> requirePodOnNode(String node, String namespace, String name) {
        Optional<ObjectNode> pod = store.get(Kind.POD, namespace, name);
        if (pod.isPresent() && !node.equals(Json.text(pod.get(), "spec.nodeName"))) {
            throw forbidden(node, "report for pod \"" + name + "\" in namespace \"" + namespace + "\", which is not bound to it");
        }
        return pod;
    }

    /** A node reads a ConfigMap or Secret only when a pod bound to it uses it (volume, env, envFrom, pull secret). */
    public void requireUsedByPodOnNode(String node, String plural, String namespace, String name) {
        boolean secret = plural.equals(Kind.SECRET.plural());
        List<ObjectNode> pods = store.list(Kind.POD, namespace, p -> node.equals(Json.text(p, "spec.nodeName")));
        for (ObjectNode pod : pods) {
            if (uses(pod.path("spec"), secret, name)) return;
        }
        throw forbidden(node, "get " + plural + " \"" + name + "\" in namespace \"" + namespace
                + "\": no pod bound to it uses it");
    }

    static boolean uses(JsonNode spec, boolean secret, String name) {
        String volumeKind = secret ? "secret" : "configMap";
        String volumeField = secret ? "secretName" : "name";
        for (JsonNode v : spec.path("volumes")) {
            if (name.equals(v.path(volumeKind).path(volumeField).asText(null))) return true;
            for (JsonNode source : v.path("projected").path("sources")) {
                if (name.equals(source.path(volumeKind).path("name").asText(null))) return true;
            }
        }
        if (secret) {
            for (JsonNode s : spec.path("imagePullSecrets")) if (name.equals(s.path("name").asText(null))) return true;
        }
        String keyRef = secret ? "secretKeyRef" : "configMapKeyRef";
        String fromRef = secret ? "secretRef" : "configMapRef";
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : spec.path(list)) {
                for (JsonNode e : c.path("env")) {
                    if (name.equals(e.path("valueFrom").path(keyRef).path("name").asText(null))) return true;
                }
                for (JsonNode e : c.path("envFrom")) {
                    if (name.equals(e.path(fromRef).path("name").asText(null))) return true;
                }
            }
        }
        return false;
    }

    private static ApiError forbidden(String node, String what) {
        return new ApiError(403, "Forbidden", List.of("node \"" + node + "\" is forbidden to " + what));
    }
}

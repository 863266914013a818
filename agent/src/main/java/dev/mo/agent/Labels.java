package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Meta;
import dev.mo.runtime.ContainerInfo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels every container started by mo carries. They are the agent's only memory that survives
 * a restart: which node, pod (by uid) and container a Docker container belongs to, and how many
 * times that container was restarted.
 */
public final class Labels {
    public static final String MANAGED = "mo.managed";
    public static final String NODE = "mo.node";
    public static final String NAMESPACE = "mo.namespace";
    public static final String POD = "mo.pod";
    public static final String POD_UID = "mo.pod-uid";
    public static final String CONTAINER = "mo.container";
    public static final String RESTART_COUNT = "mo.restart-count";
    public static final String OWNER_KIND = "mo.owner-kind";
    public static final String OWNER_NAME = "mo.owner-name";
    /** Copied from the pod so that {@code docker ps --filter label=pod-template-hash=...} works. */
    public static final String POD_TEMPLATE_HASH = "pod-template-hash";

    private Labels() {}

    /** The labels selecting every container this agent manages on {@code nodeName}. */
    public static Map<String, String> managedOn(String nodeName) {
        return Map.of(MANAGED, "true", NODE, nodeName);
    }

    /** The labels of the {@code restartCount}-th run of container {@code containerName} of {@code pod}. */
    public static Map<String, String> forContainer(String nodeName, ObjectNode pod, String containerName, int restartCount) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED, "true");
        labels.put(NODE, nodeName);
        labels.put(NAMESPACE, Meta.namespace(pod));
        labels.put(POD, Meta.name(pod));
        labels.put(POD_UID, Meta.uid(pod));
        labels.put(CONTAINER, containerName);
        labels.put(RESTART_COUNT, Integer.toString(restartCount));
        JsonNode owners = Json.at(pod, "metadata.ownerReferences");
        if (owners.isArray() && !owners.isEmpty()) {
            JsonNode owner = owners.get(0);
            for (JsonNode o : owners) {
                if (o.path("controller").asBoolean(false)) owner = o; // the controller owner, when marked
            }
            labels.put(OWNER_KIND, owner.path("kind").asText());
            labels.put(OWNER_NAME, owner.path("name").asText());
        }
        String hash = Meta.labels(pod).get(POD_TEMPLATE_HASH);
        if (hash != null) labels.put(POD_TEMPLATE_HASH, hash);
        return labels;
    }

    /**
     * Docker name {@code mo_<container>_<pod>_<namespace>_<uid first 8>_<restartCount>}: readable in
     * {@code docker ps}, unique per run (the uid tells a re-created pod of the same name apart).
     */
    public static String containerName(ObjectNode pod, String containerName, int restartCount) {
        String uid = Meta.uid(pod);
        String shortUid = uid.length() > 8 ? uid.substring(0, 8) : uid;
        return "mo_" + containerName + "_" + Meta.name(pod) + "_" + Meta.namespace(pod) + "_" + shortUid + "_" + restartCount;
    }

    /** The restart count a container was started with; 0 when the label is missing or garbled. */
    public static int restartCount(ContainerInfo c) {
        try {
            return Integer.parseInt(c.labels().getOrDefault(RESTART_COUNT, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code <pod uid>/<container name>}: the key of per-container agent state (back-off, failures). */
    public static String key(String podUid, String containerName) {
        return podUid + "/" + containerName;
    }

    public static String key(ContainerInfo c) {
        return key(c.label(POD_UID), c.label(CONTAINER));
    }
}

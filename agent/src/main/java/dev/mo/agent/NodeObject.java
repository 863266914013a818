package dev.mo.agent;

import dev.mo.model.Kind;
import dev.mo.model.Meta;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.runtime.EngineInfo;
import dev.mo.runtime.ImageInfo;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Builds the {@code Node} object the agent posts as its heartbeat, in Kubernetes' shape. */
public final class NodeObject {
    public static final String AGENT_URL_ANNOTATION = "mo.dev/agent-url";
    public static final String AGENT_VERSION = "mo-0.1.0";
    /** The kubelet's default {@code --max-pods}. */
    public static final int MAX_PODS = 110;
    /** The kubelet's default {@code --node-status-max-images}: the largest images are listed. */
    public static final int MAX_IMAGES = 50;

    private NodeObject() {}

    /**
     * @param readySince when the agent became ready (the Ready condition's lastTransitionTime)
     * @param now        this heartbeat's time
     * @param images     the engine's images: other nodes fetch an image they lack from a node that lists it
     */
    public static ObjectNode build(String nodeName, String address, String agentUrl, EngineInfo engine,
                                   Instant readySince, Instant now, List<ImageInfo> images) {
        ObjectNode node = Meta.newObject(Kind.NODE, null, nodeName);
        ObjectNode meta = (ObjectNode) node.get("metadata");
        ObjectNode labels = meta.putObject("labels");
        labels.put("kubernetes.io/hostname", nodeName);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", engine.architecture());
        meta.putObject("annotations").put(AGENT_URL_ANNOTATION, agentUrl);

        ObjectNode status = node.putObject("status");
        ObjectNode capacity = status.putObject("capacity");
        capacity.put("cpu", Integer.toString(engine.cpus()));
        capacity.put("memory", (engine.memoryBytes() / 1024) + "Ki"); // Kubernetes counts memory in KiB
        capacity.put("pods", Integer.toString(MAX_PODS));
        status.set("allocatable", capacity.deepCopy()); // nothing is reserved for the system yet
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", address);
        addresses.addObject().put("type", "Hostname").put("address", nodeName);
        status.putArray("conditions").addObject()
                .put("type", "Ready")
                .put("status", "True")
                .put("reason", "KubeletReady")
                .put("message", "mo agent is posting ready status")
                .put("lastHeartbeatTime", PodStatusBuilder.rfc3339(now))
                .put("lastTransitionTime", PodStatusBuilder.rfc3339(readySince));
        status.putObject("nodeInfo")
                .put("containerRuntimeVersion", "docker://" + engine.version())
                .put("kubeletVersion", AGENT_VERSION)
                .put("osImage", engine.osImage())
                .put("kernelVersion", engine.kernelVersion())
                .put("operatingSystem", "linux")
                .put("architecture", engine.architecture());
        ArrayNode listed = status.putArray("images");
        images.stream().filter(i -> !i.repoTags().isEmpty())
                .sorted(Comparator.comparingLong(ImageInfo::sizeBytes).reversed()).limit(MAX_IMAGES)
                .forEach(i -> {
                    ObjectNode entry = listed.addObject();
                    ArrayNode names = entry.putArray("names");
                    i.repoTags().forEach(names::add);
                    names.add(i.id());
                    entry.put("sizeBytes", i.sizeBytes());
                });
        return node;
    }
}

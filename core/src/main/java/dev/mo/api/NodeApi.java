package dev.mo.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a node agent needs from the control plane. The agent in {@code mo server}'s own
 * process and a remote {@code mo agent} both use it over HTTP ({@link HttpNodeApi});
 * tests and benchmarks may bind it straight to a control plane in memory.
 */
public interface NodeApi {

    /**
     * Creates or refreshes this node's {@code Node} object (capacity, addresses,
     * nodeInfo, the Ready condition). Called at start and then as the heartbeat.
     */
    void heartbeat(ObjectNode node);

    /**
     * The pods bound to {@code nodeName} ({@code spec.nodeName}), including those being
     * deleted ({@code metadata.deletionTimestamp} set), which the agent must stop.
     * Long poll: when nothing changed since {@code sinceRevision}, waits up to {@code wait}
     * for a change before answering. Pass -1 to answer at once.
     */
    PodsForNode podsForNode(String nodeName, long sinceRevision, Duration wait);

    /**
     * Every Node object, as a kubelet may read them: an agent looks there for another node
     * whose engine has an image it lacks ({@code status.images}).
     */
    List<ObjectNode> nodes();

    /** A ConfigMap or Secret the pod refers to, or null when it does not exist. */
    ObjectNode getConfigObject(String kindPlural, String namespace, String name);

    /**
     * Reports the observed state of a pod: {@code status} in Kubernetes' shape (phase,
     * conditions, hostIP, podIP, startTime, containerStatuses) and where each container
     * port was published ({@code "8080/TCP" -> "127.0.0.1:32768"}). Ignored when the pod
     * with that uid is gone.
     */
    void reportPodStatus(String namespace, String name, String uid, ObjectNode status, Map<String, String> hostPorts);

    /** Every container of a pod that was being deleted is gone: the pod object may go too. */
    void podTerminated(String namespace, String name, String uid);

    /**
     * Records an event on a pod, as Kubernetes does ({@code type} Normal or Warning,
     * {@code reason} such as Pulled, Started, BackOff, Killing, Failed, and a message).
     */
    void recordPodEvent(String namespace, String podName, String uid, String type, String reason, String message);

    /**
     * Every Service, Endpoints and Ingress in the cluster: what a node's proxies route by and
     * what its containers' service names resolve to. Long poll, as {@link #podsForNode}.
     */
    Routing routing(long sinceRevision, Duration wait);

    /**
     * The latest resource usage of this node's pods, measured by the agent every few seconds.
     * Replaces what the node reported before; the control plane keeps it in memory only.
     */
    void reportMetrics(String nodeName, List<PodMetrics> pods);

    /** Answer of {@link #podsForNode}: the store revision it reflects and the pods. */
    record PodsForNode(long revision, List<ObjectNode> pods) {}

    /** Answer of {@link #routing}. */
    record Routing(long revision, List<ObjectNode> services, List<ObjectNode> endpoints, List<ObjectNode> ingresses) {}
}

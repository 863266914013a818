package dev.mo.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.NodeApi;
import dev.mo.api.PodMetrics;
import dev.mo.metrics.MetricsRegistry;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.store.Change;
import dev.mo.store.ObjectKey;
import dev.mo.store.Store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control plane's side of {@link NodeApi}: what agents call. The HTTP API calls it for
 * remote agents; tests and benchmarks bind an agent to it directly.
 */
public final class NodeService implements NodeApi {
    /** Where an agent's published ports are recorded on its pods: {@code {"8080/TCP":"127.0.0.1:32768"}}. */
    public static final String HOST_PORTS_ANNOTATION = "mo.dev/host-ports";

    private final ObjectService objects;
    private final Store store;
    private final MetricsRegistry metrics;

    public NodeService(ObjectService objects) {
        this.objects = objects;
        this.store = objects.store();
        this.metrics = new MetricsRegistry(objects.clock());
    }

    /** The latest usage the agents reported. */
    public MetricsRegistry metrics() { return metrics; }

    @Override
    public void reportMetrics(String nodeName, List<PodMetrics> pods) {
        metrics.report(nodeName, pods);
    }

    @Override
    public List<ObjectNode> nodes() {
        return store.list(Kind.NODE, null);
    }

    @Override
    public void heartbeat(ObjectNode node) {
        String name = Meta.name(node);
        Optional<ObjectNode> existing = store.get(Kind.NODE, null, name);
        if (existing.isEmpty()) {
            ObjectNode created = objects.newObject(node);
            created.set("status", node.get("status"));
            store.commit(List.of(Change.put(created)), true);
            return;
        }
        objects.update(ObjectKey.of(existing.get()), current -> {
            // The agent's labels and annotations are put over the node's: a user's own (kubectl label) stay.
            for (String field : List.of("labels", "annotations")) {
                if (node.at("/metadata/" + field) instanceof ObjectNode given) Json.objectAt(current, "metadata." + field).setAll(given);
            }
            current.set("status", node.get("status"));
            return current;
        }, false);
    }

    /**
     * Answers with a fingerprint of the node's pods (their uids and resourceVersions) as the
     * "revision": a change to another node's pods, or an event, does not wake this agent.
     */
    @Override
    public PodsForNode podsForNode(String nodeName, long sinceRevision, Duration wait) {
        return longPoll(sinceRevision, wait, () -> {
            List<ObjectNode> pods = store.list(Kind.POD, null, p -> nodeName.equals(Json.text(p, "spec.nodeName")));
            return new PodsForNode(fingerprint(pods), pods);
        }, PodsForNode::revision);
    }

    @Override
    public Routing routing(long sinceRevision, Duration wait) {
        return longPoll(sinceRevision, wait, () -> {
            List<ObjectNode> services = store.list(Kind.SERVICE, null);
            List<ObjectNode> endpoints = store.list(Kind.ENDPOINTS, null);
            List<ObjectNode> ingresses = store.list(Kind.INGRESS, null);
            List<ObjectNode> all = new java.util.ArrayList<>(services);
            all.addAll(endpoints);
            all.addAll(ingresses);
            return new Routing(fingerprint(all), services, endpoints, ingresses);
        }, Routing::revision);
    }

    /**
     * Reads {@code snapshot} until its fingerprint differs from {@code since} or {@code wait}
     * is over, sleeping on the store in between: the agents' long poll.
     */
    private <T> T longPoll(long since, Duration wait, java.util.function.Supplier<T> snapshot,
                           java.util.function.ToLongFunction<T> fingerprintOf) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long storeRevision = store.revision();
            T answer = snapshot.get();
            long left = deadline - System.nanoTime();
            if (since < 0 || fingerprintOf.applyAsLong(answer) != since || left <= 0) return answer;
            try {
                if (!store.awaitChange(storeRevision, Duration.ofNanos(left))) return snapshot.get(); // time is up, or shutting down
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
        }
    }

    private static long fingerprint(List<ObjectNode> objects) {
        long h = 1125899906842597L;
        for (ObjectNode o : objects) {
            h = 31 * h + Meta.uid(o).hashCode();
            h = 31 * h + Json.text(o, "metadata.resourceVersion").hashCode();
        }
        return h & Long.MAX_VALUE;
    }

    @Override
    public ObjectNode getConfigObject(String kindPlural, String namespace, String name) {
        Kind kind = Kind.byCliName(kindPlural).filter(k -> k == Kind.CONFIG_MAP || k == Kind.SECRET)
                .orElseThrow(() -> ApiError.badRequest("agents may read configmaps and secrets only, not " + kindPlural));
        return store.get(kind, namespace, name).orElse(null);
    }

    @Override
    public void reportPodStatus(String namespace, String name, String uid, ObjectNode status, Map<String, String> hostPorts) {
        objects.update(new ObjectKey(Kind.POD, namespace, name), pod -> {
            if (!uid.equals(Meta.uid(pod))) return null;
            pod.set("status", status);
            String ports = Json.write(Json.MAPPER.valueToTree(hostPorts));
            ObjectNode annotations = Json.objectAt(pod, "metadata.annotations");
            if (hostPorts.isEmpty()) annotations.remove(HOST_PORTS_ANNOTATION);
            else annotations.put(HOST_PORTS_ANNOTATION, ports);
            if (annotations.isEmpty()) ((ObjectNode) pod.get("metadata")).remove("annotations");
            return pod;
        }, false);
    }

    @Override
    public void podTerminated(String namespace, String name, String uid) {
        store.get(Kind.POD, namespace, name)
                .filter(p -> uid.equals(Meta.uid(p)))
                .ifPresent(p -> objects.remove(ObjectKey.of(p), true));
    }

    @Override
    public void recordPodEvent(String namespace, String podName, String uid, String type, String reason, String message) {
        ObjectNode involved = store.get(Kind.POD, namespace, podName).orElseGet(() -> {
            ObjectNode ref = Meta.newObject(Kind.POD, namespace, podName);
            ((ObjectNode) ref.get("metadata")).put("uid", uid);
            return ref;
        });
        objects.events().record(involved, type, reason, message, "mo-agent");
    }
}

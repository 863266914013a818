package dev.mo.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ApiError;
import dev.mo.model.Json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link NodeApi} over HTTP: how every agent, the embedded one included, talks to the control plane. */
public final class HttpNodeApi implements NodeApi {
    private final MoClient client;

    public HttpNodeApi(MoClient client) { this.client = client; }

    @Override
    public void heartbeat(ObjectNode node) {
        client.call("POST", "/api/node/heartbeat", node, Duration.ofSeconds(10));
    }

    @Override
    public PodsForNode podsForNode(String nodeName, long sinceRevision, Duration wait) {
        ObjectNode r = client.call("GET", "/api/node/" + MoClient.enc(nodeName) + "/pods?since=" + sinceRevision
                + "&waitSeconds=" + wait.toSeconds(), null, wait.plusSeconds(10));
        return new PodsForNode(r.path("revision").asLong(), items(r, "items"));
    }

    @Override
    public Routing routing(long sinceRevision, Duration wait) {
        ObjectNode r = client.call("GET", "/api/node/routing?since=" + sinceRevision + "&waitSeconds=" + wait.toSeconds(),
                null, wait.plusSeconds(10));
        return new Routing(r.path("revision").asLong(), items(r, "services"), items(r, "endpoints"), items(r, "ingresses"));
    }

    private static List<ObjectNode> items(ObjectNode r, String field) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode o : r.path(field)) out.add((ObjectNode) o);
        return out;
    }

    @Override
    public List<ObjectNode> nodes() {
        List<ObjectNode> nodes = new ArrayList<>();
        client.call("GET", "/api/node/nodes", null, Duration.ofSeconds(10)).path("items")
                .forEach(n -> nodes.add((ObjectNode) n));
        return nodes;
    }

    @Override
    public ObjectNode getConfigObject(String kindPlural, String namespace, String name) {
        try {
            return client.call("GET", "/api/node/config/" + MoClient.enc(kindPlural) + "/" + MoClient.enc(namespace)
                    + "/" + MoClient.enc(name), null, Duration.ofSeconds(10));
        } catch (ApiError e) {
            if (e.status() == 404) return null;
            throw e;
        }
    }

    @Override
    public void reportPodStatus(String namespace, String name, String uid, ObjectNode status, Map<String, String> hostPorts) {
        ObjectNode b = podRef(namespace, name, uid);
        b.set("status", status);
        b.set("hostPorts", Json.MAPPER.valueToTree(hostPorts));
        client.call("POST", "/api/node/pod-status", b, Duration.ofSeconds(10));
    }

    @Override
    public void podTerminated(String namespace, String name, String uid) {
        client.call("POST", "/api/node/pod-terminated", podRef(namespace, name, uid), Duration.ofSeconds(10));
    }

    @Override
    public void recordPodEvent(String namespace, String podName, String uid, String type, String reason, String message) {
        ObjectNode b = podRef(namespace, podName, uid);
        b.put("type", type);
        b.put("reason", reason);
        b.put("message", message);
        client.call("POST", "/api/node/pod-event", b, Duration.ofSeconds(10));
    }

    @Override
    public void reportMetrics(String nodeName, List<PodMetrics> pods) {
        ObjectNode b = Json.object();
        b.put("node", nodeName);
        var arr = b.putArray("pods");
        pods.forEach(p -> arr.add(p.toJson()));
        client.call("POST", "/api/node/metrics", b, Duration.ofSeconds(10));
    }

    private static ObjectNode podRef(String namespace, String name, String uid) {
        ObjectNode b = Json.object();
        b.put("namespace", namespace);
        b.put("name", name);
        b.put("uid", uid);
        return b;
    }
}

package dev.mo.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.NodeApi;
import dev.mo.model.Json;
import dev.mo.model.Meta;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory control plane: holds pods and config objects, records what the agent reports. */
final class FakeNodeApi implements NodeApi {
    final Map<String, ObjectNode> pods = new ConcurrentHashMap<>();              // by uid
    final Map<String, ObjectNode> configObjects = new ConcurrentHashMap<>();     // "configmaps/ns/name"
    final Map<String, ObjectNode> statuses = new ConcurrentHashMap<>();          // last status by uid
    final Map<String, Map<String, String>> hostPorts = new ConcurrentHashMap<>();
    final List<String> terminated = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();                    // "Reason: message"
    final List<ObjectNode> heartbeats = new CopyOnWriteArrayList<>();
    final List<ObjectNode> reports = new CopyOnWriteArrayList<>();
    final List<List<dev.mo.api.PodMetrics>> metrics = new CopyOnWriteArrayList<>();
    private long revision = 1;

    @Override
    public void reportMetrics(String nodeName, List<dev.mo.api.PodMetrics> pods) { metrics.add(pods); }

    synchronized void put(ObjectNode pod) {
        pods.put(Meta.uid(pod), pod);
        revision++;
        notifyAll();
    }

    synchronized void remove(String uid) {
        pods.remove(uid);
        revision++;
        notifyAll();
    }

    void putConfig(String kindPlural, String ns, String name, Map<String, String> data) {
        ObjectNode o = Json.object();
        o.putObject("metadata").put("name", name).put("namespace", ns);
        ObjectNode d = o.putObject("data");
        data.forEach(d::put);
        configObjects.put(kindPlural + "/" + ns + "/" + name, o);
    }

    ObjectNode status(String uid) { return statuses.get(uid); }

    @Override public void heartbeat(ObjectNode node) { heartbeats.add(node); }

    /** The last Node object each node posted. */
    @Override
    public List<ObjectNode> nodes() {
        Map<String, ObjectNode> last = new java.util.LinkedHashMap<>();
        for (ObjectNode n : heartbeats) last.put(dev.mo.model.Meta.name(n), n);
        return List.copyOf(last.values());
    }

    /** No Services here: the routing side is tested with the real control plane. */
    @Override
    public Routing routing(long sinceRevision, Duration wait) {
        return new Routing(0, List.of(), List.of(), List.of());
    }

    @Override
    public synchronized PodsForNode podsForNode(String nodeName, long sinceRevision, Duration wait) {
        if (sinceRevision == revision && !wait.isZero()) {
            try { wait(wait.toMillis()); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
        List<ObjectNode> mine = new ArrayList<>();
        for (ObjectNode p : pods.values()) {
            if (nodeName.equals(Json.text(p, "spec.nodeName"))) mine.add(p.deepCopy());
        }
        return new PodsForNode(revision, mine);
    }

    @Override
    public ObjectNode getConfigObject(String kindPlural, String namespace, String name) {
        return configObjects.get(kindPlural + "/" + namespace + "/" + name);
    }

    @Override
    public synchronized void reportPodStatus(String namespace, String name, String uid, ObjectNode status, Map<String, String> ports) {
        ObjectNode pod = pods.get(uid);
        if (pod == null) return;
        pod.set("status", status.deepCopy()); // like the real store: the next podsForNode shows it
        statuses.put(uid, status);
        hostPorts.put(uid, ports);
        reports.add(status);
    }

    @Override
    public synchronized void podTerminated(String namespace, String name, String uid) {
        terminated.add(uid);
        pods.remove(uid);
        revision++;
        notifyAll();
    }

    @Override
    public void recordPodEvent(String namespace, String podName, String uid, String type, String reason, String message) {
        events.add(reason + ": " + message);
    }
}

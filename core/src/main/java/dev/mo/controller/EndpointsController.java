package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.NodeService;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.model.PodAddresses;
import dev.mo.model.Pods;
import dev.mo.store.Change;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Service → Endpoints: which pods, at which address and port, serve each Service.
 *
 * <p>In Kubernetes an endpoint is a pod IP and the target port. In mo a pod's container port
 * is published on its node under a host port of its own, so each pod gets its own subset:
 * address = the node's address, port = the host port published for the Service's
 * {@code targetPort} (a number, or a container port's name). Ready pods go to
 * {@code addresses}, others to {@code notReadyAddresses}; the proxies use the first only.
 *
 * <p>An address carries Kubernetes' {@code hostname} when the pod's {@code spec.hostname} is set
 * and its {@code spec.subdomain} is this Service (a StatefulSet's pods). For a headless Service
 * each listed pod also gets a stable virtual address ({@link PodAddresses}), recorded on the
 * Endpoints: agents serve it and name it in the pods' hosts files.
 */
public final class EndpointsController implements Controller {
    private final ObjectService objects;
    /** The last port problem reported per Service, so a problem is one event, not one per pass. */
    private final Map<String, String> reportedProblems = new ConcurrentHashMap<>();

    public EndpointsController(ObjectService objects) { this.objects = objects; }

    @Override
    public String name() { return "endpoints"; }

    @Override
    public void reconcile() {
        Map<String, List<ObjectNode>> podsByNamespace = new HashMap<>();
        for (ObjectNode p : objects.store().list(Kind.POD, null)) {
            podsByNamespace.computeIfAbsent(Meta.namespace(p), k -> new ArrayList<>()).add(p);
        }
        List<Change> changes = new ArrayList<>();
        // Pod addresses are unique over the whole cluster: every node listens on all of them.
        Set<String> takenPodAddresses = new HashSet<>();
        for (ObjectNode e : objects.store().list(Kind.ENDPOINTS, null)) takenPodAddresses.addAll(PodAddresses.of(e).values());
        for (ObjectNode service : objects.store().list(Kind.SERVICE, null)) {
            Map<String, String> selector = Json.stringMap(service, "spec.selector");
            if (selector.isEmpty()) continue; // Endpoints of a Service without selector are the user's to write.
            List<String> problems = new ArrayList<>();
            ObjectNode desired = endpointsFor(service,
                    podsByNamespace.getOrDefault(Meta.namespace(service), List.of()), problems);
            ObjectNode current = objects.store().get(Kind.ENDPOINTS, Meta.namespace(service), Meta.name(service)).orElse(null);
            Map<String, String> podAddresses = PodAddresses.headless(service)
                    ? podAddresses(service, desired, PodAddresses.of(current), takenPodAddresses) : Map.of();
            PodAddresses.record(desired, podAddresses);
            if (current == null) {
                changes.add(Change.put(objects.newObject(desired)));
            } else if (!Json.at(current, "subsets").equals(Json.at(desired, "subsets"))
                    || !PodAddresses.of(current).equals(podAddresses)) {
                current.set("subsets", desired.get("subsets"));
                PodAddresses.record(current, podAddresses);
                changes.add(Change.put(current));
            }
            reportProblems(service, problems);
        }
        // Derived state: rebuilt from pods and Services at any time, so not synced on its own.
        if (!changes.isEmpty()) objects.store().commit(changes, false);
    }

    /**
     * Pod name → virtual address for every pod listed in a headless Service's Endpoints: the one
     * it had, else a new one. A pod that left gives its address up.
     */
    static Map<String, String> podAddresses(ObjectNode service, ObjectNode endpoints, Map<String, String> previous,
                                            Set<String> taken) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode subset : Json.at(endpoints, "subsets")) {
            for (String list : List.of("addresses", "notReadyAddresses")) {
                for (JsonNode address : subset.path(list)) {
                    String pod = address.path("targetRef").path("name").asText("");
                    if (pod.isEmpty() || out.containsKey(pod)) continue;
                    String ip = previous.get(pod);
                    if (ip == null) {
                        ip = PodAddresses.allocate(Meta.namespace(service), Meta.name(service), pod, taken);
                        taken.add(ip);
                    }
                    out.put(pod, ip);
                }
            }
        }
        return out;
    }

    /** The Endpoints object a Service should have, given the pods of its namespace. */
    static ObjectNode endpointsFor(ObjectNode service, List<ObjectNode> pods, List<String> problems) {
        LabelSelector selector = LabelSelector.fromMap(Json.stringMap(service, "spec.selector"));
        ObjectNode ep = Meta.newObject(Kind.ENDPOINTS, Meta.namespace(service), Meta.name(service));
        ObjectNode meta = (ObjectNode) ep.get("metadata");
        if (!Meta.labels(service).isEmpty()) meta.set("labels", service.at("/metadata/labels").deepCopy());
        meta.putArray("ownerReferences").add(Pods.controllerRef(service));
        ArrayNode subsets = ep.putArray("subsets");
        List<ObjectNode> matching = pods.stream()
                .filter(p -> !Meta.deleting(p) && Pods.nodeName(p) != null && selector.matches(Meta.labels(p)))
                .sorted(Comparator.comparing(Meta::name)).toList();
        for (ObjectNode pod : matching) {
            Map<String, String> hostPorts = hostPorts(pod);
            if (hostPorts.isEmpty()) continue; // not running yet: nothing published
            ArrayNode ports = Json.array();
            String hostIp = null;
            for (JsonNode sp : Json.at(service, "spec.ports")) {
                String protocol = sp.path("protocol").asText("TCP");
                Integer containerPort = resolveTargetPort(sp, pod);
                if (containerPort == null) {
                    problems.add("targetPort \"" + sp.path("targetPort").asText() + "\" of port "
                            + sp.path("port").asInt() + " names no container port of pod " + Meta.name(pod));
                    continue;
                }
                String published = hostPorts.get(containerPort + "/" + protocol);
                if (published == null) continue;
                int colon = published.lastIndexOf(':');
                hostIp = published.substring(0, colon);
                ObjectNode port = ports.addObject();
                if (sp.hasNonNull("name")) port.put("name", sp.get("name").asText());
                port.put("port", Integer.parseInt(published.substring(colon + 1)));
                port.put("protocol", protocol);
            }
            if (ports.isEmpty()) continue;
            ObjectNode subset = subsets.addObject();
            ObjectNode address = subset.putArray(Pods.isReady(pod) ? "addresses" : "notReadyAddresses").addObject();
            address.put("ip", hostIp);
            String hostname = Json.text(pod, "spec.hostname");
            if (hostname != null && !hostname.isEmpty() && Meta.name(service).equals(Json.text(pod, "spec.subdomain"))) {
                address.put("hostname", hostname);
            }
            address.put("nodeName", Pods.nodeName(pod));
            ObjectNode ref = address.putObject("targetRef");
            ref.put("kind", "Pod");
            ref.put("namespace", Meta.namespace(pod));
            ref.put("name", Meta.name(pod));
            ref.put("uid", Meta.uid(pod));
            subset.set("ports", ports);
        }
        return ep;
    }

    /** A Service port's targetPort as a container port number: itself, or the port with that name. */
    static Integer resolveTargetPort(JsonNode servicePort, ObjectNode pod) {
        JsonNode target = servicePort.has("targetPort") ? servicePort.get("targetPort") : servicePort.get("port");
        if (target.isInt()) return target.asInt();
        for (JsonNode c : Json.at(pod, "spec.containers")) {
            for (JsonNode p : c.path("ports")) {
                if (target.asText().equals(p.path("name").asText())) return p.path("containerPort").asInt();
            }
        }
        return null;
    }

    private static Map<String, String> hostPorts(ObjectNode pod) {
        String json = Meta.annotations(pod).get(NodeService.HOST_PORTS_ANNOTATION);
        return json == null ? Map.of() : Json.stringMap(Json.parse(json), "");
    }

    private void reportProblems(ObjectNode service, List<String> problems) {
        String key = Meta.uid(service);
        String summary = String.join("; ", problems.stream().distinct().toList());
        if (Objects.equals(reportedProblems.get(key), summary)) return;
        reportedProblems.put(key, summary);
        if (!summary.isEmpty()) objects.events().warning(service, "FailedToResolvePort", summary, "endpoint-controller");
    }
}

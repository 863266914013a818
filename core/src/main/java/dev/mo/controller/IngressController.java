package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controlplane.ObjectService;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.store.ObjectKey;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ingress: the proxies on every node do the routing; this controller says where an Ingress
 * answers ({@code status.loadBalancer.ingress}: the nodes' addresses) and warns, as an
 * event, when a rule names a Service or a Service port that does not exist. LoadBalancer
 * Services get the same addresses, since every node's proxy listens on their ports (as k3s's
 * built-in service load balancer does), so {@code mo get svc} shows an EXTERNAL-IP.
 */
public final class IngressController implements Controller {
    private final ObjectService objects;
    private final Map<String, String> reportedProblems = new ConcurrentHashMap<>();

    public IngressController(ObjectService objects) { this.objects = objects; }

    @Override
    public String name() { return "ingress"; }

    @Override
    public void reconcile() {
        ArrayNode addresses = Json.array();
        Set<String> seen = new LinkedHashSet<>();
        for (ObjectNode node : objects.store().list(Kind.NODE, null)) {
            for (JsonNode a : Json.at(node, "status.addresses")) {
                if ("InternalIP".equals(a.path("type").asText()) && seen.add(a.path("address").asText())) {
                    addresses.addObject().put("ip", a.path("address").asText());
                }
            }
        }
        for (ObjectNode ingress : objects.store().list(Kind.INGRESS, null)) {
            reportProblems(ingress, problems(ingress));
            publishAddresses(ingress, addresses);
        }
        for (ObjectNode service : objects.store().list(Kind.SERVICE, null)) {
            if ("LoadBalancer".equals(Json.text(service, "spec.type"))) publishAddresses(service, addresses);
        }
    }

    private void publishAddresses(ObjectNode object, ArrayNode addresses) {
        if (Json.at(object, "status.loadBalancer.ingress").equals(addresses)) return;
        objects.update(ObjectKey.of(object), o -> {
            Json.objectAt(o, "status.loadBalancer").set("ingress", addresses.deepCopy());
            return o;
        }, false);
    }

    /** Every backend of the Ingress whose Service, or Service port, is missing. */
    private List<String> problems(ObjectNode ingress) {
        List<JsonNode> backends = new ArrayList<>();
        if (Json.at(ingress, "spec.defaultBackend").isObject()) backends.add(Json.at(ingress, "spec.defaultBackend"));
        for (JsonNode rule : Json.at(ingress, "spec.rules")) {
            for (JsonNode path : rule.at("/http/paths")) backends.add(path.path("backend"));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode b : backends) {
            JsonNode svc = b.path("service");
            if (svc.isMissingNode()) continue;
            String name = svc.path("name").asText();
            ObjectNode service = objects.store().get(Kind.SERVICE, Meta.namespace(ingress), name).orElse(null);
            if (service == null) {
                out.add("service \"" + Meta.namespace(ingress) + "/" + name + "\" not found");
                continue;
            }
            JsonNode port = svc.path("port");
            boolean found = false;
            for (JsonNode sp : Json.at(service, "spec.ports")) {
                if (port.has("number") ? sp.path("port").asInt() == port.get("number").asInt()
                        : sp.path("name").asText().equals(port.path("name").asText())) found = true;
            }
            if (!found) {
                out.add("service \"" + Meta.namespace(ingress) + "/" + name + "\" has no port "
                        + (port.has("number") ? port.get("number").asText() : "\"" + port.path("name").asText() + "\""));
            }
        }
        return out.stream().distinct().toList();
    }

    private void reportProblems(ObjectNode ingress, List<String> problems) {
        String summary = String.join("; ", problems);
        if (Objects.equals(reportedProblems.put(Meta.uid(ingress), summary), summary)) return;
        if (!summary.isEmpty()) objects.events().warning(ingress, "ServiceNotFound", summary, "ingress-controller");
    }
}

package dev.mo.controlplane;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.manifest.Defaults;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.store.ObjectKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * What every Kubernetes cluster has from its first start: the namespaces {@code default},
 * {@code kube-system}, {@code kube-public} and {@code kube-node-lease}, and the Service
 * {@code default/kubernetes} (ClusterIP 10.96.0.1, port 443 named https, no selector) whose
 * Endpoints are the API server's address and port. Each start makes what is missing and
 * leaves what is there as it is, except the kubernetes Service's target port and Endpoints,
 * which follow the API's address and port as the API server's own reconciler keeps them.
 */
public final class SystemObjects {
    public static final List<String> NAMESPACES = List.of(
            ObjectService.DEFAULT_NAMESPACE, "kube-system", "kube-public", "kube-node-lease");
    /**
     * The namespaces Kubernetes' NamespaceLifecycle admission refuses to delete. kube-node-lease is
     * not among them (a proposal to add it was not merged): it may be deleted, and is made again.
     */
    public static final Set<String> UNDELETABLE_NAMESPACES =
            Set.of(ObjectService.DEFAULT_NAMESPACE, "kube-system", "kube-public");
    public static final String API_SERVICE = "kubernetes";
    /** The first address of the service range, which Kubernetes gives its own API. */
    public static final String API_SERVICE_IP = ServiceAllocator.toDotted(ServiceAllocator.FIRST_IP + 1);
    static final int API_SERVICE_PORT = 443;
    private static final String PORT_NAME = "https";

    private SystemObjects() {}

    /** Makes the system namespaces that do not exist. */
    static void ensureNamespaces(ObjectService objects) {
        for (String name : NAMESPACES) {
            if (objects.get(Kind.NAMESPACE, null, name).isEmpty()) {
                objects.create(Meta.newObject(Kind.NAMESPACE, null, name), true);
            }
        }
    }

    /**
     * Makes the Service {@code default/kubernetes} and its Endpoints ({@code address:port}) when
     * missing, and points them at {@code address:port} when the API moved. A Service of that name
     * with a selector was made by a user before mo made its own: it is left alone.
     */
    static void ensureApiService(ObjectService objects, String address, int port) {
        ObjectNode service = objects.get(Kind.SERVICE, ObjectService.DEFAULT_NAMESPACE, API_SERVICE).orElse(null);
        if (service == null) {
            objects.create(apiService(port), true);
        } else if (Json.stringMap(service, "spec.selector").isEmpty()) {
            ArrayNode ports = (ArrayNode) Json.at(apiService(port), "spec.ports");
            objects.update(ObjectKey.of(service), s -> {
                if (Json.at(s, "spec.ports").equals(ports)) return null;
                Json.objectAt(s, "spec").set("ports", ports);
                return s;
            }, true);
        } else {
            return;
        }
        ObjectNode desired = apiEndpoints(address, port);
        ObjectNode endpoints = objects.get(Kind.ENDPOINTS, ObjectService.DEFAULT_NAMESPACE, API_SERVICE).orElse(null);
        if (endpoints == null) {
            objects.create(desired, true);
        } else {
            objects.update(ObjectKey.of(endpoints), e -> {
                if (Json.at(e, "subsets").equals(desired.get("subsets"))) return null;
                e.set("subsets", desired.get("subsets"));
                return e;
            }, true);
        }
    }

    static ObjectNode apiService(int apiPort) {
        ObjectNode service = Meta.newObject(Kind.SERVICE, ObjectService.DEFAULT_NAMESPACE, API_SERVICE);
        ObjectNode labels = Json.objectAt(service, "metadata.labels");
        labels.put("component", "apiserver");
        labels.put("provider", "kubernetes");
        ObjectNode spec = service.putObject("spec");
        spec.put("type", "ClusterIP");
        spec.put("clusterIP", API_SERVICE_IP);
        spec.putArray("clusterIPs").add(API_SERVICE_IP);
        ObjectNode https = spec.putArray("ports").addObject();
        https.put("name", PORT_NAME);
        https.put("port", API_SERVICE_PORT);
        https.put("protocol", "TCP");
        https.put("targetPort", apiPort);
        Defaults.apply(service);
        return service;
    }

    static ObjectNode apiEndpoints(String address, int apiPort) {
        ObjectNode endpoints = Meta.newObject(Kind.ENDPOINTS, ObjectService.DEFAULT_NAMESPACE, API_SERVICE);
        // As Kubernetes labels them: they are not mirrored from pods, so nothing should rebuild them.
        Json.objectAt(endpoints, "metadata.labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = endpoints.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", address);
        ObjectNode port = subset.putArray("ports").addObject();
        port.put("name", PORT_NAME);
        port.put("port", apiPort);
        port.put("protocol", "TCP");
        return endpoints;
    }

    /**
     * The address the kubernetes Endpoints give for an API bound to {@code bind}. An Endpoints
     * address must be one address that other hosts can reach, so a wildcard bind (0.0.0.0 or ::)
     * gives this host's first IPv4 address that is neither loopback nor link-local (interfaces
     * in the system's order, so usually the primary one before container bridges), and
     * 127.0.0.1 when there is none: then only pods on this host can reach the API, which is all a
     * host without a network can offer anyway. A name is resolved to its address.
     */
    public static String endpointAddress(String bind) {
        try {
            if (!bind.equals("0.0.0.0") && !bind.equals("::")) return InetAddress.getByName(bind).getHostAddress();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) continue;
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
            return "127.0.0.1";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find the API's address for the kubernetes Service: " + e.getMessage(), e);
        }
    }
}

package dev.mo.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

/** Small builders for the Kubernetes objects the proxy tests feed to {@link RoutingTable}. */
final class Objects {
    private Objects() {}

    /** A Service; {@code ports} is the JSON array of {@code spec.ports}. */
    static ObjectNode service(String ns, String name, String type, String clusterIp, String ports) {
        return Json.parse("""
                {"apiVersion":"v1","kind":"Service","metadata":{"namespace":"%s","name":"%s"},
                 "spec":{"type":"%s","clusterIP":"%s","ports":%s}}""".formatted(ns, name, type, clusterIp, ports));
    }

    /** Endpoints as mo writes them; {@code subsets} is the JSON array, one subset per pod. */
    static ObjectNode endpoints(String ns, String name, String subsets) {
        return Json.parse("""
                {"apiVersion":"v1","kind":"Endpoints","metadata":{"namespace":"%s","name":"%s"},"subsets":%s}"""
                .formatted(ns, name, subsets));
    }

    /** One ready pod at 127.0.0.1 with one endpoint port. */
    static String readyPod(String portName, int hostPort) {
        return """
                {"addresses":[{"ip":"127.0.0.1","nodeName":"n1","targetRef":{"kind":"Pod","name":"p%d"}}],
                 "ports":[{"name":"%s","port":%d,"protocol":"TCP"}]}""".formatted(hostPort, portName, hostPort);
    }

    /** An Ingress; {@code spec} is the JSON object of its spec. */
    static ObjectNode ingress(String ns, String name, String spec) {
        return Json.parse("""
                {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"namespace":"%s","name":"%s"},"spec":%s}"""
                .formatted(ns, name, spec));
    }

    /** An Ingress path entry to a Service port given by number. */
    static String path(String path, String type, String service, int port) {
        return """
                {"path":"%s","pathType":"%s","backend":{"service":{"name":"%s","port":{"number":%d}}}}"""
                .formatted(path, type, service, port);
    }

    /** An Ingress path entry to a Service port given by name. */
    static String namedPath(String path, String type, String service, String portName) {
        return """
                {"path":"%s","pathType":"%s","backend":{"service":{"name":"%s","port":{"name":"%s"}}}}"""
                .formatted(path, type, service, portName);
    }
}

package dev.mo.proxy;

import java.util.List;

/**
 * Where an HTTP request goes: one port of one Service, with the {@code host:port} of each
 * ready pod behind it. An empty {@code backends} list is a real answer (the Service or its
 * Endpoints are missing, or no pod is ready): the proxy says 503, not 404.
 *
 * @param namespace the Ingress's (and so the Service's) namespace
 * @param service   the Service name
 * @param port      the Service port as the Ingress named it: its number, or its name
 * @param backends  ready endpoints, {@code ip:hostPort}, in Endpoints order
 */
public record Route(String namespace, String service, String port, List<String> backends) {
    public Route {
        backends = List.copyOf(backends);
    }

    /** {@code shop/web:80}: how errors and logs name the Service port. */
    public String serviceKey() {
        return namespace + "/" + service + ":" + port;
    }
}

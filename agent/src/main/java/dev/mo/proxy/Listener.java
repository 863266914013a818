package dev.mo.proxy;

import java.util.List;

/**
 * One TCP socket this node must listen on, and where its connections go.
 *
 * @param address  the IP to bind: a Service's clusterIP, or the node's own address
 * @param port     the port to bind: the Service port, or its nodePort
 * @param service  {@code namespace/name:port} of the Service port it serves (for logs)
 * @param backends ready endpoints, {@code ip:hostPort}
 */
public record Listener(String address, int port, String service, List<String> backends) {
    public Listener {
        backends = List.copyOf(backends);
    }

    /** {@code address:port}: what identifies the socket. Two listeners with one key are one socket. */
    public String key() {
        return address + ":" + port;
    }
}

package dev.mo.proxy;

import java.time.Duration;
import java.util.List;

/**
 * One TCP socket this node must listen on, and where its connections go.
 *
 * @param address  the IP to bind: a Service's clusterIP, or the node's own address
 * @param port     the port to bind: the Service port, or its nodePort
 * @param service  {@code namespace/name:port} of the Service port it serves (for logs)
 * @param backends ready endpoints, {@code ip:hostPort}
 * @param affinity the Service's {@code sessionAffinity: ClientIP} timeout: a client's connections
 *                 keep going to the backend its last one went to, until it has made none for this
 *                 long; null for none (round robin)
 */
public record Listener(String address, int port, String service, List<String> backends, Duration affinity) {
    public Listener {
        backends = List.copyOf(backends);
    }

    /** A listener without client affinity. */
    public Listener(String address, int port, String service, List<String> backends) {
        this(address, port, service, backends, null);
    }

    /** {@code address:port}: what identifies the socket. Two listeners with one key are one socket. */
    public String key() {
        return address + ":" + port;
    }
}

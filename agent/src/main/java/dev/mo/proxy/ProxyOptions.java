package dev.mo.proxy;

import java.time.Duration;

/**
 * Settings of the {@link HttpProxy}. Start from {@link #defaults()} and change what you need:
 * {@code ProxyOptions.defaults().withIoThreads(2)}.
 *
 * @param maxRequestBodyBytes a request declaring a larger Content-Length gets 413; a chunked body
 *                            that grows past it is cut off
 * @param connectTimeout      how long to wait for a TCP connection to one backend before trying the next
 * @param responseTimeout     how long to wait for the response to start (status line and headers)
 *                            once a request is handed to the proxy; then 504. A response that has
 *                            started is never cut: downloads and streams may take as long as they take
 * @param ioThreads           I/O threads. Each runs its own event loop ({@link ProxyLoop}) and its own pool of
 *                            upstream connections; the proxy never blocks, so no other threads are used
 * @param maxIdlePerBackend   idle keep-alive connections kept per backend and I/O thread
 * @param idleTimeout         an idle upstream connection older than this is closed instead of reused,
 *                            so we do not race a backend that closes idle connections itself
 *                            (Node.js does after 5 s, nginx after 75 s)
 * @param clientTimeout       a client connection must send a whole request head within this long of
 *                            connecting or of its last response, else it is closed (with a 408 if it had
 *                            begun one): idle keep-alives do not pile up, and a client sending its head
 *                            slowly cannot hold a connection (nginx: keepalive_timeout 75 s,
 *                            client_header_timeout 60 s). A client that takes no byte of a response
 *                            for this long is closed too (nginx: send_timeout 60 s)
 */
public record ProxyOptions(long maxRequestBodyBytes, Duration connectTimeout, Duration responseTimeout,
                           int ioThreads, int maxIdlePerBackend, Duration idleTimeout, Duration clientTimeout) {

    public ProxyOptions {
        if (maxRequestBodyBytes < 0) throw new IllegalArgumentException("maxRequestBodyBytes < 0");
        if (ioThreads < 1) throw new IllegalArgumentException("ioThreads < 1");
        if (maxIdlePerBackend < 0) throw new IllegalArgumentException("maxIdlePerBackend < 0");
    }

    /**
     * 10 MiB bodies, 2 s to connect, 60 s for a response to start, one I/O thread (a small node
     * has few cores and the upstream pods need them too; see bench/proxy/README.md), 64 idle
     * connections per backend, reused for up to 4 s, 60 s for a client to send a request head.
     */
    public static ProxyOptions defaults() {
        return new ProxyOptions(10L << 20, Duration.ofSeconds(2), Duration.ofSeconds(60), 1, 64, Duration.ofSeconds(4),
                Duration.ofSeconds(60));
    }

    public ProxyOptions withMaxRequestBodyBytes(long v) {
        return new ProxyOptions(v, connectTimeout, responseTimeout, ioThreads, maxIdlePerBackend, idleTimeout, clientTimeout);
    }

    public ProxyOptions withConnectTimeout(Duration v) {
        return new ProxyOptions(maxRequestBodyBytes, v, responseTimeout, ioThreads, maxIdlePerBackend, idleTimeout, clientTimeout);
    }

    public ProxyOptions withResponseTimeout(Duration v) {
        return new ProxyOptions(maxRequestBodyBytes, connectTimeout, v, ioThreads, maxIdlePerBackend, idleTimeout, clientTimeout);
    }

    public ProxyOptions withIoThreads(int v) {
        return new ProxyOptions(maxRequestBodyBytes, connectTimeout, responseTimeout, v, maxIdlePerBackend, idleTimeout, clientTimeout);
    }

    public ProxyOptions withMaxIdlePerBackend(int v) {
        return new ProxyOptions(maxRequestBodyBytes, connectTimeout, responseTimeout, ioThreads, v, idleTimeout, clientTimeout);
    }

    public ProxyOptions withIdleTimeout(Duration v) {
        return new ProxyOptions(maxRequestBodyBytes, connectTimeout, responseTimeout, ioThreads, maxIdlePerBackend, v, clientTimeout);
    }

    public ProxyOptions withClientTimeout(Duration v) {
        return new ProxyOptions(maxRequestBodyBytes, connectTimeout, responseTimeout, ioThreads, maxIdlePerBackend, idleTimeout, v);
    }
}

package dev.mo.proxy;

import io.undertow.Undertow;
import io.undertow.attribute.ExchangeAttributes;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.UndertowClient;
import io.undertow.server.ConduitWrapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.conduits.StreamSinkConduit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's HTTP reverse proxy for Ingress traffic. See the package documentation for the design;
 * in short: our handler routes and answers 404/503/413 itself, Undertow's {@link ProxyHandler}
 * forwards (headers, streaming bodies both ways), and our {@link ProxyClient} picks the backend
 * round robin, keeps the keep-alive connections, and decides when a failure may be retried.
 *
 * <p>Everything for one request runs on the I/O thread that accepted it; the proxy never blocks.
 */
public final class HttpProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpProxy.class);

    /**
     * Hop-by-hop headers (RFC 9110 §7.6.1, plus the non-standard Keep-Alive and Proxy-Connection):
     * they describe one connection, so they are never passed on. Transfer-Encoding is re-decided
     * by Undertow on each side.
     */
    static final List<HttpString> HOP_BY_HOP = List.of(Headers.CONNECTION, Headers.KEEP_ALIVE,
            Headers.PROXY_AUTHENTICATE, Headers.PROXY_AUTHORIZATION, new HttpString("Proxy-Connection"),
            Headers.TE, Headers.TRAILER, Headers.TRANSFER_ENCODING, Headers.UPGRADE);

    /** Strips hop-by-hop headers from the upstream's response just before Undertow writes it. */
    private static final ConduitWrapper<StreamSinkConduit> STRIP_RESPONSE_HOP_BY_HOP = (factory, exchange) -> {
        stripHopByHop(exchange.getResponseHeaders());
        return factory.create();
    };

    private final ProxyOptions options;
    private final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.EMPTY);
    /** Round-robin position per Service port; kept across table updates so they do not reset it. */
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
    /** Idle upstream connections, one pool per I/O thread (a connection belongs to the thread that opened it). */
    private final Map<XnioIoThread, IdleConnections> pools = new ConcurrentHashMap<>();
    private volatile Set<String> liveBackends = Set.of();
    private final UndertowClient client = UndertowClient.getInstance();
    private final OptionMap upstreamOptions = OptionMap.create(Options.TCP_NODELAY, true);
    private final ProxyHandler forwarder;
    private final Undertow server;

    private HttpProxy(String bindAddress, int port, ProxyOptions options) {
        this.options = options;
        ProxyHandler.Builder b = ProxyHandler.builder()
                .setProxyClient(new Balancer())
                .setMaxRequestTime(-1)          // we time the response start ourselves: a started response is never cut
                .setReuseXForwarded(true)       // append to X-Forwarded-For, as nginx's $proxy_add_x_forwarded_for
                .setRewriteHostHeader(false)    // the pod sees the Host the client asked for
                .setIdempotentRequestPredicate(ex -> ex.getRequestMethod().equals(Methods.GET)
                        || ex.getRequestMethod().equals(Methods.HEAD))
                .setNext(ResponseCodeHandler.HANDLE_404);
        // A header whose value resolves to "" is removed from the upstream request.
        for (HttpString h : HOP_BY_HOP) b.addRequestHeader(h, ExchangeAttributes.constant(""));
        b.addRequestHeader(Headers.X_FORWARDED_PROTO, ExchangeAttributes.constant("http")); // we only serve plain HTTP
        this.forwarder = b.build();
        this.server = Undertow.builder()
                .addHttpListener(port, bindAddress)
                .setIoThreads(options.ioThreads())
                .setWorkerThreads(1) // nothing is dispatched to workers; Undertow wants at least one
                .setSocketOption(Options.TCP_NODELAY, true)
                .setSocketOption(Options.BACKLOG, 1024)
                .setHandler(this::handle)
                .build();
    }

    /** Starts listening on {@code bindAddress:port} (port 0 picks a free one, see {@link #port()}) with no routes. */
    public static HttpProxy start(String bindAddress, int port, ProxyOptions options) {
        HttpProxy proxy = new HttpProxy(bindAddress, port, options);
        proxy.server.start();
        log.info("HTTP proxy listening on {}:{}", bindAddress, proxy.port());
        return proxy;
    }

    /** The port actually bound. */
    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /**
     * Swaps in a new table. Requests that already chose a backend keep it; every request
     * routed after this call uses the new table. Idle connections to backends no route
     * mentions any more are closed.
     */
    public void update(RoutingTable newTable) {
        table.set(newTable);
        Set<String> live = Set.copyOf(newTable.routeBackends());
        liveBackends = live;
        for (Map.Entry<XnioIoThread, IdleConnections> e : pools.entrySet()) {
            e.getKey().execute(() -> e.getValue().retainOnly(live));
        }
    }

    @Override
    public void close() {
        server.stop(); // stops the I/O threads, closing every connection they own
    }

    // ---------------------------------------------------------------- per request

    private void handle(HttpServerExchange exchange) throws Exception {
        String hostHeader = exchange.getRequestHeaders().getFirst(Headers.HOST);
        String host = hostHeader != null ? hostHeader : "";
        String path = exchange.getRequestPath();
        Route route = table.get().route(host, path);
        if (route == null) {
            reply(exchange, 404, "no route for host " + host + " path " + path);
            return;
        }
        if (route.backends().isEmpty()) {
            reply(exchange, 503, "no ready endpoints for service " + route.serviceKey());
            return;
        }
        if (exchange.getRequestContentLength() > options.maxRequestBodyBytes()) {
            exchange.setPersistent(false); // do not read the rest of a body we refuse
            reply(exchange, 413, "request body larger than " + options.maxRequestBodyBytes() + " bytes");
            return;
        }
        exchange.setMaxEntitySize(options.maxRequestBodyBytes());
        stripConnectionTokens(exchange.getRequestHeaders());

        int start = roundRobin.computeIfAbsent(route.serviceKey(), k -> new AtomicInteger()).getAndIncrement();
        Attempt attempt = new Attempt(route, Math.floorMod(start, route.backends().size()));
        exchange.putAttachment(Attempt.KEY, attempt);
        exchange.addResponseWrapper(STRIP_RESPONSE_HOP_BY_HOP);
        exchange.addDefaultResponseListener(ex -> errorPage(ex, attempt));

        XnioExecutor.Key timer = exchange.getIoThread().executeAfter(() -> responseTimedOut(exchange, attempt),
                options.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        exchange.addExchangeCompleteListener((ex, next) -> {
            timer.remove();
            next.proceed();
        });
        forwarder.handleRequest(exchange);
    }

    /**
     * The response has not started in time: close the upstream connection. ProxyHandler sees the
     * failure, asks us for another target, gets none ({@code timedOut}), and ends the exchange,
     * which {@link #errorPage} turns into a 504.
     */
    private static void responseTimedOut(HttpServerExchange exchange, Attempt attempt) {
        if (exchange.isResponseStarted() || exchange.isComplete()) return;
        attempt.timedOut = true;
        if (attempt.connection != null) abort(attempt.connection);
    }

    /**
     * Closes an upstream connection at once. {@code ClientConnection.close()} is a clean close: it
     * shuts down writes and waits (up to 10 s) for the upstream to close its side, and only then
     * fails the pending request, too late for a timeout. {@code performUpgrade()} is the client's
     * public way to reach the raw socket; we only use it to close that socket, which fails the
     * pending request right away.
     */
    private static void abort(ClientConnection connection) {
        try {
            connection.performUpgrade().close();
        } catch (IOException | RuntimeException e) {
            IoUtils.safeClose(connection);
        }
    }

    /**
     * ProxyHandler ends a failed exchange with a bare status: 503 when it could not reach a backend
     * (after our retries), 500 on an I/O error mid-request. To a client both mean "bad gateway";
     * our own timeout means "gateway timeout". Only called while no response byte has been sent.
     */
    private static boolean errorPage(HttpServerExchange exchange, Attempt attempt) {
        if (exchange.isResponseStarted()) return false;
        int status = exchange.getStatusCode();
        String service = attempt.route.serviceKey();
        if (attempt.timedOut || status == 504) {
            reply(exchange, 504, "upstream timed out: service " + service + " (" + attempt.backend + ")");
        } else if (status == 503 || status == 500 || status == 502) {
            reply(exchange, 502, "upstream unreachable: service " + service + ", tried " + attempt.tried);
        } else {
            return false;
        }
        return true;
    }

    private static void reply(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(body + "\n");
    }

    /** Removes the hop-by-hop headers, and those the Connection header names as such. */
    static void stripHopByHop(HeaderMap headers) {
        stripConnectionTokens(headers);
        for (HttpString h : HOP_BY_HOP) headers.remove(h);
    }

    /** {@code Connection: close, X-Foo} makes X-Foo hop-by-hop too (never Host: we need it). */
    private static void stripConnectionTokens(HeaderMap headers) {
        HeaderValues connection = headers.get(Headers.CONNECTION);
        if (connection == null) return;
        for (String value : connection) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty() && !t.equalsIgnoreCase("host")) headers.remove(t);
            }
        }
    }

    // ---------------------------------------------------------------- backend choice and retries

    /**
     * One request's walk over its route's backends, starting at its round-robin position. It is
     * the {@link ProxyClient.ProxyTarget} ProxyHandler hands back to us on each retry.
     */
    static final class Attempt implements ProxyClient.MaxRetriesProxyTarget {
        static final io.undertow.util.AttachmentKey<Attempt> KEY = io.undertow.util.AttachmentKey.create(Attempt.class);

        final Route route;
        private final int start;
        private int next;
        final List<String> tried = new ArrayList<>();
        String backend;
        /** The current try got a pooled connection: if it fails, that may just be a stale keep-alive. */
        boolean reused;
        /** Retrying {@link #backend} on a new connection after a pooled one failed. */
        boolean fresh;
        boolean timedOut;
        ClientConnection connection;

        Attempt(Route route, int start) {
            this.route = route;
            this.start = start;
        }

        /**
         * Moves to the next backend to try; false when none is left (or time is up). A failure
         * on a reused connection retries the same backend once on a fresh one: the backend may
         * well be fine and have closed an idle connection, and with one backend this is the
         * only way not to fail the request.
         */
        boolean advance() {
            if (timedOut) return false;
            if (backend != null && reused) {
                reused = false;
                fresh = true;
                return true;
            }
            List<String> all = route.backends();
            if (next >= all.size()) return false;
            backend = all.get((start + next++) % all.size());
            fresh = false;
            tried.add(backend);
            return true;
        }

        /** An upper bound for ProxyHandler's retry counter; {@link #advance} decides when to stop. */
        @Override
        public int getMaxRetries() {
            return 2 * route.backends().size();
        }
    }

    /**
     * Our {@link ProxyClient}. ProxyHandler calls {@code findTarget} once per request and again before
     * each retry. It retries after a failed connect (any method: nothing was sent), and after a
     * connection failed before any response byte for GET and HEAD (our idempotent predicate).
     */
    private final class Balancer implements ProxyClient {
        @Override
        public ProxyTarget findTarget(HttpServerExchange exchange) {
            Attempt attempt = exchange.getAttachment(Attempt.KEY);
            return attempt != null && attempt.advance() ? attempt : null;
        }

        @Override
        public void getConnection(ProxyTarget target, HttpServerExchange exchange,
                                  ProxyCallback<ProxyConnection> callback, long timeout, TimeUnit unit) {
            Attempt attempt = (Attempt) target;
            XnioIoThread io = exchange.getIoThread();
            IdleConnections pool = pools.computeIfAbsent(io, t -> new IdleConnections());
            ClientConnection idle = attempt.fresh ? null : pool.poll(attempt.backend);
            if (idle != null) {
                use(exchange, attempt, idle, true, pool, callback);
            } else {
                connect(exchange, attempt, io, pool, callback);
            }
        }

        private void connect(HttpServerExchange exchange, Attempt attempt, XnioIoThread io, IdleConnections pool,
                             ProxyCallback<ProxyConnection> callback) {
            String backend = attempt.backend;
            // The connect callback and the timer both run on `io`, so a plain flag settles which came first.
            boolean[] settled = {false};
            XnioExecutor.Key timer = io.executeAfter(() -> {
                if (settled[0]) return;
                settled[0] = true;
                log.debug("connect to {} timed out", backend);
                callback.failed(exchange);
            }, options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            client.connect(new ClientCallback<>() {
                @Override
                public void completed(ClientConnection connection) {
                    if (settled[0]) { // too late: the request has moved on
                        IoUtils.safeClose(connection);
                        return;
                    }
                    settled[0] = true;
                    timer.remove();
                    if (attempt.timedOut) {
                        IoUtils.safeClose(connection);
                        callback.failed(exchange);
                        return;
                    }
                    use(exchange, attempt, connection, false, pool, callback);
                }

                @Override
                public void failed(IOException e) {
                    if (settled[0]) return;
                    settled[0] = true;
                    timer.remove();
                    log.debug("connect to {} failed: {}", backend, e.toString());
                    callback.failed(exchange);
                }
            }, null, URI.create("http://" + backend), io, exchange.getConnection().getByteBufferPool(), upstreamOptions);
        }

        private void use(HttpServerExchange exchange, Attempt attempt, ClientConnection connection, boolean reused,
                         IdleConnections pool, ProxyCallback<ProxyConnection> callback) {
            attempt.connection = connection;
            attempt.reused = reused;
            String backend = attempt.backend;
            // When the exchange is over the upstream response has been read to its end: the
            // connection is idle again, unless it was closed (error, timeout, Connection: close).
            exchange.addExchangeCompleteListener((ex, next) -> {
                // Not kept: a connection of an earlier, failed try; one cut by our timeout; one to a
                // backend that left the table while the request was in flight.
                boolean keep = attempt.connection == connection && !attempt.timedOut && liveBackends.contains(backend);
                if (keep) {
                    pool.offer(backend, connection);
                } else {
                    IoUtils.safeClose(connection);
                }
                next.proceed();
            });
            callback.completed(exchange, new ProxyConnection(connection, ""));
        }
    }

    /**
     * Idle keep-alive connections of one I/O thread, per backend. Only that thread touches it,
     * so it needs no locks. Newest first (LIFO): a busy backend reuses its warmest connections
     * and the surplus ages out.
     */
    private final class IdleConnections {
        private record Idle(ClientConnection connection, long since) {}

        private final Map<String, ArrayDeque<Idle>> byBackend = new HashMap<>();

        ClientConnection poll(String backend) {
            ArrayDeque<Idle> idle = byBackend.get(backend);
            if (idle == null) return null;
            long now = System.nanoTime();
            for (Idle i = idle.pollLast(); i != null; i = idle.pollLast()) {
                if (i.connection.isOpen() && now - i.since < options.idleTimeout().toNanos()) return i.connection;
                IoUtils.safeClose(i.connection);
            }
            return null;
        }

        void offer(String backend, ClientConnection connection) {
            if (!connection.isOpen() || connection.isUpgraded()) {
                IoUtils.safeClose(connection);
                return;
            }
            ArrayDeque<Idle> idle = byBackend.computeIfAbsent(backend, b -> new ArrayDeque<>());
            long now = System.nanoTime();
            while (!idle.isEmpty() && now - idle.peekFirst().since >= options.idleTimeout().toNanos()) {
                IoUtils.safeClose(idle.pollFirst().connection);
            }
            if (idle.size() >= options.maxIdlePerBackend()) {
                IoUtils.safeClose(connection);
            } else {
                idle.addLast(new Idle(connection, now));
            }
        }

        void retainOnly(Set<String> backends) {
            for (Iterator<Map.Entry<String, ArrayDeque<Idle>>> it = byBackend.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, ArrayDeque<Idle>> e = it.next();
                if (!backends.contains(e.getKey())) {
                    e.getValue().forEach(i -> IoUtils.safeClose(i.connection));
                    it.remove();
                }
            }
        }
    }
}

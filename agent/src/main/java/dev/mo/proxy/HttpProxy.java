package dev.mo.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's HTTP reverse proxy for Ingress traffic: HTTP/1.1 on plain NIO, one event loop per
 * I/O thread. See the package documentation for the design; the parts are
 * <ul>
 * <li>{@link HttpProxy}: the listening socket, the routing table, the event loops;</li>
 * <li>{@link ProxyLoop}: one selector thread with its connections, its idle upstream
 *     connections and its timers;</li>
 * <li>{@link ProxiedExchange}: one client connection and the request it is on, from its head to
 *     the last byte of the response;</li>
 * <li>{@link Attempt}: which backend a request tries next;</li>
 * <li>{@link BackendCheck}: whether a backend that keeps a request waiting still takes connections;</li>
 * <li>{@link HttpHead} and {@link MessageBody}: where a message's head and body end (pure code).</li>
 * </ul>
 */
public final class HttpProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpProxy.class);

    final ProxyOptions options;
    private final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.EMPTY);
    /** Round-robin position per Service port; kept across table updates so they do not reset it. */
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
    private volatile Set<String> liveBackends = Set.of();
    /**
     * Backends that recently failed a connect by timeout or a {@link BackendCheck}, with the
     * {@link System#nanoTime} until which requests try them last (nginx's fail_timeout is 10 s
     * too). Until their node is declared NotReady, the Endpoints still list a lost host's pods.
     */
    private final Map<String, Long> unreachableUntil = new ConcurrentHashMap<>();
    /**
     * Node addresses that recently let a connect time out, with the same deadline: a host that
     * answers nothing at all is gone with every pod on it, so each of its backends is tried
     * last, not only the one that timed out (a lost host with two replicas would otherwise keep
     * two requests waiting out the connect timeout, one after the other).
     */
    private final Map<String, Long> silentHostUntil = new ConcurrentHashMap<>();
    private static final long UNREACHABLE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private final ServerSocketChannel listener;
    private final int port;
    private final List<ProxyLoop> loops = new ArrayList<>();

    private HttpProxy(String bindAddress, int port, ProxyOptions options) throws IOException {
        this.options = options;
        this.listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(new InetSocketAddress(bindAddress, port), 1024);
        listener.configureBlocking(false);
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        for (int i = 0; i < options.ioThreads(); i++) loops.add(new ProxyLoop(this, i));
    }

    /** Starts listening on {@code bindAddress:port} (port 0 picks a free one, see {@link #port()}) with no routes. */
    public static HttpProxy start(String bindAddress, int port, ProxyOptions options) {
        HttpProxy proxy;
        try {
            proxy = new HttpProxy(bindAddress, port, options);
            proxy.loops.get(0).acceptOn(proxy.listener, proxy.loops);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
        proxy.loops.forEach(ProxyLoop::start);
        log.info("HTTP proxy listening on {}:{}", bindAddress, proxy.port);
        return proxy;
    }

    /** The port actually bound. */
    public int port() {
        return port;
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
        for (ProxyLoop loop : loops) loop.execute(() -> loop.pool.retainOnly(live));
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            log.debug("closing the listener: {}", e.toString());
        }
        loops.forEach(ProxyLoop::stop);
    }

    Route route(String host, String path) {
        return table.get().route(host, path);
    }

    /** Where this request's walk over its route's backends starts: the Service port's next turn. */
    int nextTurn(Route route) {
        int turn = roundRobin.computeIfAbsent(route.serviceKey(), k -> new AtomicInteger()).getAndIncrement();
        return Math.floorMod(turn, route.backends().size());
    }

    void markUnreachable(String backend) {
        unreachableUntil.put(backend, System.nanoTime() + UNREACHABLE_NANOS);
    }

    /** A connect to {@code backend} got no answer at all: its whole host is tried last for a while. */
    void markHostSilent(String backend) {
        markUnreachable(backend);
        silentHostUntil.put(hostOf(backend), System.nanoTime() + UNREACHABLE_NANOS);
    }

    boolean isUnreachable(String backend) {
        return within(unreachableUntil, backend) || within(silentHostUntil, hostOf(backend));
    }

    /** Whether {@code key}'s deadline in {@code deadlines} is still ahead (a passed one is dropped). */
    private static boolean within(Map<String, Long> deadlines, String key) {
        if (deadlines.isEmpty()) return false;
        Long until = deadlines.get(key);
        if (until == null) return false;
        if (System.nanoTime() - until < 0) return true;
        deadlines.remove(key, until);
        return false;
    }

    private static String hostOf(String backend) {
        return TcpProxy.parse(backend).getHostString();
    }

    boolean isLive(String backend) {
        return liveBackends.contains(backend);
    }

    static void configure(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }
}

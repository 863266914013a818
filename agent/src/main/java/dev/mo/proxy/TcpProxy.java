package dev.mo.proxy;

import dev.mo.model.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's TCP proxy for Service ClusterIPs, NodePorts and LoadBalancer ports: what kube-proxy
 * does with iptables, done in user space (as kube-proxy's old "userspace" mode did).
 *
 * <p>Backends are taken round robin; a Service with {@code sessionAffinity: ClientIP} sends each
 * client's connections to the backend its last one went to ({@link ClientAffinity}).
 *
 * <p>Blocking sockets: one accept thread per listening socket, and two pool threads per proxied
 * connection, one per direction. That is the simplest correct way to pump bytes and pass a
 * half-close on, and it is cheap enough for a node's Service traffic (threads are created on
 * demand and idle ones die after a minute). Virtual threads (Java 21) would remove the cost.
 */
public final class TcpProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);
    private static final int BUFFER = 16 * 1024;

    private final Duration connectTimeout;
    private final Clock clock;
    private final ExecutorService threads = Executors.newCachedThreadPool(DaemonThreads.factory("tcp-proxy"));
    /** Open listening sockets by {@code address:port}. Guarded by {@code this}. */
    private final Map<String, Open> open = new LinkedHashMap<>();
    /** Every proxied socket, both sides, so that {@link #close} can end them. */
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    public TcpProxy() {
        this(Duration.ofSeconds(2));
    }

    /** @param connectTimeout how long to wait for one backend before trying the next */
    public TcpProxy(Duration connectTimeout) {
        this(connectTimeout, Clock.systemUTC());
    }

    /** @param clock when clients last connected, for {@code sessionAffinity} timeouts */
    public TcpProxy(Duration connectTimeout, Clock clock) {
        this.connectTimeout = connectTimeout;
        this.clock = clock;
    }

    /**
     * Makes the open sockets match {@code listeners}: closes those not listed, opens the new ones,
     * and gives the others their new backends without touching their socket. A socket that cannot
     * be bound (address not on this host, port taken) is logged and tried again on the next update.
     */
    public synchronized void update(List<Listener> listeners) {
        Map<String, Listener> wanted = new LinkedHashMap<>();
        for (Listener l : listeners) wanted.putIfAbsent(l.key(), l);

        open.entrySet().removeIf(e -> {
            if (wanted.containsKey(e.getKey())) return false;
            e.getValue().close();
            return true;
        });
        for (Listener l : wanted.values()) {
            Open existing = open.get(l.key());
            if (existing != null) {
                existing.listener = l;
                continue;
            }
            try {
                open.put(l.key(), new Open(l));
            } catch (IOException e) {
                log.warn("cannot listen on {} for {}: {}", l.key(), l.service(), e.toString());
            }
        }
    }

    /** {@code address:port} of every socket listening now. */
    public synchronized Set<String> listening() {
        return new TreeSet<>(open.keySet());
    }

    /** Closes every listening socket and every proxied connection. */
    @Override
    public synchronized void close() {
        open.values().forEach(Open::close);
        open.clear();
        connections.forEach(TcpProxy::closeQuietly);
        threads.shutdownNow();
    }

    /** One listening socket and its accept loop. */
    private final class Open {
        private final ServerSocket socket;
        /** Replaced by {@link #update} when the backends change; read once per accepted connection. */
        volatile Listener listener;
        private final AtomicInteger next = new AtomicInteger();
        private final ClientAffinity affinity = new ClientAffinity();

        Open(Listener l) throws IOException {
            this.listener = l;
            this.socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(new InetSocketAddress(l.address(), l.port()), 512);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            DaemonThreads.named("tcp-proxy-accept-" + l.key(), this::acceptLoop).start();
            log.info("listening on {} for {}", l.key(), l.service());
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Listener l = listener;
                    threads.execute(() -> serve(client, l, order(l, client), l.affinity() == null ? null : affinity));
                } catch (IOException e) {
                    if (!socket.isClosed()) log.warn("accept on {} failed: {}", listener.key(), e.toString());
                } catch (RuntimeException e) { // the pool was shut down by close()
                    break;
                }
            }
        }

        void close() {
            closeQuietly(socket); // accept() throws, the loop sees the closed socket and ends
            log.info("closed {}", listener.key());
        }

        /** The backends in the order to try them: round robin, after the client's own one under affinity. */
        private List<String> order(Listener l, Socket client) {
            List<String> backends = l.backends();
            List<String> order = new ArrayList<>(backends.size());
            int turn = next.getAndIncrement();
            for (int i = 0; i < backends.size(); i++) order.add(backends.get(Math.floorMod(turn + i, backends.size())));
            if (l.affinity() != null) {
                String sticky = affinity.backendOf(client.getInetAddress(), backends, l.affinity(), clock.instant());
                if (sticky != null) {
                    order.remove(sticky);
                    order.add(0, sticky);
                }
            }
            return order;
        }
    }

    /**
     * Connects the accepted client to the first backend of {@code order} that takes the connection;
     * then pumps both ways. No backend reachable: the client's connection is closed, as a refused
     * connection would be. With {@code affinity}, the client is remembered with the backend it got.
     */
    private void serve(Socket client, Listener l, List<String> order, ClientAffinity affinity) {
        connections.add(client);
        Socket upstream = null;
        String chosen = null;
        for (int i = 0; i < order.size() && upstream == null; i++) {
            String backend = order.get(i);
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(parse(backend), (int) connectTimeout.toMillis());
                upstream = s;
                chosen = backend;
            } catch (IOException e) {
                closeQuietly(s);
                log.debug("{}: connect to {} failed: {}", l.service(), backend, e.toString());
            }
        }
        if (affinity != null && chosen != null) affinity.remember(client.getInetAddress(), chosen, clock.instant(), l.affinity());
        if (upstream == null) {
            log.debug("{}: no backend reachable among {}", l.service(), order);
            closeBoth(client, client);
            return;
        }
        connections.add(upstream);
        try {
            client.setTcpNoDelay(true);
        } catch (IOException ignored) {
            // the client is gone already; the pumps will notice
        }
        AtomicInteger directionsLeft = new AtomicInteger(2);
        Socket up = upstream;
        try {
            threads.execute(() -> pump(up, client, directionsLeft));
        } catch (RuntimeException e) { // shut down meanwhile
            closeBoth(client, up);
            return;
        }
        pump(client, up, directionsLeft);
    }

    /**
     * Copies {@code from} → {@code to} until {@code from} says end of stream, then shuts down
     * {@code to}'s output: the peer sees the half-close and may still answer on the other
     * direction. The sockets are closed when both directions are done, or at once on an error
     * (a reset on either side ends the whole connection, as it would end a direct one).
     */
    private void pump(Socket from, Socket to, AtomicInteger directionsLeft) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeBoth(from, to);
            return;
        }
        if (directionsLeft.decrementAndGet() == 0) closeBoth(from, to);
    }

    private void closeBoth(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
        connections.remove(a);
        connections.remove(b);
    }

    /** {@code 10.0.0.1:80} or {@code [fd00::1]:80}. */
    static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }
}

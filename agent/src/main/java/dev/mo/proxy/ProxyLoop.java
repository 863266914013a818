package dev.mo.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * One I/O thread of the {@link HttpProxy}: a selector and everything registered with it. All
 * state here (connections, the pool of idle upstream connections, the timers) is touched by
 * this thread only, so none of it needs a lock; other threads hand work over with
 * {@link #execute}.
 *
 * <p>Timers are a sweep: ten times a second the loop looks at each client connection's deadline
 * (a request head, a connect, a response to start, a lingering close). That is precise enough
 * for timeouts counted in seconds and costs nothing per request.
 */
final class ProxyLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ProxyLoop.class);
    static final int BUFFER_BYTES = 16 * 1024;
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Whatever is registered with the selector: told which of its operations are ready. */
    interface Handler {
        void ready(SelectionKey key) throws IOException;

        /** Ends it after an I/O error (or when the loop stops). */
        void abort();
    }

    final HttpProxy proxy;
    final Selector selector;
    final IdleUpstreams pool = new IdleUpstreams();
    /** Every client connection of this loop: the sweep checks their deadlines. */
    final Set<ProxiedExchange> exchanges = new HashSet<>();
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<ByteBuffer> spareBuffers = new ArrayDeque<>();
    private volatile boolean running = true;
    private long nextSweep;

    ProxyLoop(HttpProxy proxy, int index) throws IOException {
        this.proxy = proxy;
        this.selector = Selector.open();
        this.thread = new Thread(this, "http-proxy-" + index);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Runs {@code task} on this loop's thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    void stop() {
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Accepts connections on this loop and deals them out over {@code loops} in turn. */
    void acceptOn(ServerSocketChannel listener, List<ProxyLoop> loops) throws ClosedChannelException {
        listener.register(selector, SelectionKey.OP_ACCEPT, new Handler() {
            private int next;

            @Override
            public void ready(SelectionKey key) throws IOException {
                SocketChannel channel;
                while ((channel = listener.accept()) != null) {
                    ProxyLoop loop = loops.get(next++ % loops.size());
                    SocketChannel accepted = channel;
                    if (loop == ProxyLoop.this) loop.adopt(accepted);
                    else loop.execute(() -> loop.adopt(accepted));
                }
            }

            @Override
            public void abort() {
                // the listener is closed by HttpProxy.close
            }
        });
    }

    private void adopt(SocketChannel channel) {
        try {
            HttpProxy.configure(channel);
            new ProxiedExchange(this, channel);
        } catch (IOException e) {
            log.debug("dropping a new client connection: {}", e.toString());
            closeQuietly(channel);
        }
    }

    SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws ClosedChannelException {
        return channel.register(selector, ops, handler);
    }

    /** A 16 KiB direct buffer, reused from closed connections when there is one. */
    ByteBuffer buffer() {
        ByteBuffer b = spareBuffers.pollLast();
        return b != null ? b : ByteBuffer.allocateDirect(BUFFER_BYTES);
    }

    void release(ByteBuffer b) {
        if (b != null && b.isDirect() && b.capacity() == BUFFER_BYTES && spareBuffers.size() < 256) {
            b.clear();
            spareBuffers.addLast(b);
        }
    }

    @Override
    public void run() {
        nextSweep = System.nanoTime() + SWEEP_NANOS;
        while (running) {
            try {
                long wait = exchanges.isEmpty() ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextSweep - System.nanoTime()));
                selector.select(this::dispatch, wait);
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) task.run();
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    nextSweep = now + SWEEP_NANOS;
                    for (ProxiedExchange e : List.copyOf(exchanges)) e.checkTimers(now);
                }
            } catch (IOException | RuntimeException e) {
                log.error("HTTP proxy loop: {}", e.toString(), e); // a bug: keep serving the other connections
            }
        }
        for (SelectionKey key : selector.keys()) closeQuietly(key.channel()); // no abort(): it could retry elsewhere
        closeQuietly(selector);
    }

    private void dispatch(SelectionKey key) {
        Handler handler = (Handler) key.attachment();
        try {
            if (key.isValid()) handler.ready(key);
        } catch (IOException e) {
            log.debug("connection failed: {}", e.toString());
            handler.abort();
        } catch (RuntimeException e) { // a bug: end this connection, keep serving the others
            log.error("HTTP proxy: {}", e.toString(), e);
            handler.abort();
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) c.close();
        } catch (Exception ignored) {
            // closing: nothing left to do with it
        }
    }

    /**
     * Idle keep-alive connections to backends, newest last (LIFO: a busy backend reuses its
     * warmest connections and the surplus ages out). An idle connection stays registered for
     * reading, so a backend that closes it is noticed and it is dropped.
     */
    final class IdleUpstreams {
        private final Map<String, ArrayDeque<UpstreamConnection>> byBackend = new HashMap<>();

        UpstreamConnection poll(String backend) {
            ArrayDeque<UpstreamConnection> idle = byBackend.get(backend);
            if (idle == null) return null;
            long now = System.nanoTime();
            for (UpstreamConnection c = idle.pollLast(); c != null; c = idle.pollLast()) {
                if (c.isOpen() && now - c.idleSince < proxy.options.idleTimeout().toNanos()) return c;
                c.close();
            }
            return null;
        }

        void offer(UpstreamConnection c) {
            ArrayDeque<UpstreamConnection> idle = byBackend.computeIfAbsent(c.backend, b -> new ArrayDeque<>());
            long now = System.nanoTime();
            while (!idle.isEmpty() && now - idle.peekFirst().idleSince >= proxy.options.idleTimeout().toNanos()) {
                idle.pollFirst().close();
            }
            if (idle.size() >= proxy.options.maxIdlePerBackend()) {
                c.close();
            } else {
                c.idleSince = now;
                idle.addLast(c);
            }
        }

        /** The backend closed (or wrote to) an idle connection: it cannot be reused. */
        void drop(UpstreamConnection c) {
            ArrayDeque<UpstreamConnection> idle = byBackend.get(c.backend);
            if (idle != null) idle.remove(c);
            c.close();
        }

        void retainOnly(Set<String> backends) {
            for (Iterator<Map.Entry<String, ArrayDeque<UpstreamConnection>>> it = byBackend.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, ArrayDeque<UpstreamConnection>> e = it.next();
                if (!backends.contains(e.getKey())) {
                    e.getValue().forEach(UpstreamConnection::close);
                    it.remove();
                }
            }
        }
    }
}

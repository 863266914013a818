package dev.mo.proxy;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A bare TCP connect to a backend that has kept a request waiting: it tells a backend that is
 * slow from one whose host is gone. A host that died or was cut off the network answers
 * nothing, so a request sent on a connection opened before that waits out the whole response
 * timeout. A new connection to it fails (refused, or no answer within the connect timeout),
 * while a backend that is merely slow takes it at once. Nothing is sent; the connection is
 * closed either way, and the exchange hears the result.
 */
final class BackendCheck implements ProxyLoop.Handler {
    final String backend;
    private final ProxiedExchange exchange;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final long deadline;
    private boolean done;
    /** The connect got no answer at all within the connect timeout (not refused): the host is silent. */
    boolean hostSilent;

    private BackendCheck(ProxyLoop loop, String backend, ProxiedExchange exchange, SocketChannel channel) throws IOException {
        this.backend = backend;
        this.exchange = exchange;
        this.channel = channel;
        this.key = loop.register(channel, SelectionKey.OP_CONNECT, this);
        this.deadline = System.nanoTime() + loop.proxy.options.connectTimeout().toNanos();
    }

    /** Starts connecting; null when the backend took the connection at once (it is reachable). */
    static BackendCheck start(ProxyLoop loop, String backend, ProxiedExchange exchange) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            HttpProxy.configure(channel);
            if (channel.connect(UpstreamConnection.address(backend))) {
                channel.close();
                return null;
            }
            return new BackendCheck(loop, backend, exchange, channel);
        } catch (IOException | RuntimeException e) {
            ProxyLoop.closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void ready(SelectionKey key) throws IOException {
        if (channel.finishConnect()) finish(true); // throws when refused: abort() follows
    }

    @Override
    public void abort() {
        finish(false);
    }

    /** Called by the exchange's timers: no answer within the connect timeout is a failed check. */
    void expireIfOverdue(long now) {
        if (now - deadline >= 0) {
            hostSilent = true;
            finish(false);
        }
    }

    /** The exchange no longer needs the answer. */
    void cancel() {
        done = true;
        key.cancel();
        ProxyLoop.closeQuietly(channel);
    }

    private void finish(boolean reachable) {
        if (done) return;
        cancel();
        exchange.checked(this, reachable);
    }
}

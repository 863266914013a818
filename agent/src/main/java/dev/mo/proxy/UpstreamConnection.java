package dev.mo.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One connection from the proxy to a backend ({@code ip:port} of a pod). It serves one
 * {@link ProxiedExchange} at a time and waits in its loop's pool in between.
 *
 * <p>Buffers are kept in "filling" mode: the bytes not yet used are {@code [0, position)}.
 * {@code in} holds what the backend sent and the exchange has not passed on yet; {@code out}
 * what the exchange has for the backend and the socket has not taken yet.
 */
final class UpstreamConnection implements ProxyLoop.Handler {
    final ProxyLoop loop;
    final String backend;
    private final SocketChannel channel;
    private final SelectionKey key;
    ByteBuffer in;
    ByteBuffer out;
    /** The exchange this connection serves; null while it is idle in the pool. */
    ProxiedExchange exchange;
    boolean connecting;
    long connectDeadline;
    long idleSince;
    /** The backend closed its side. */
    boolean eof;
    private boolean closed;

    private UpstreamConnection(ProxyLoop loop, String backend, SocketChannel channel, boolean connected) throws IOException {
        this.loop = loop;
        this.backend = backend;
        this.channel = channel;
        this.connecting = !connected;
        this.key = loop.register(channel, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
        this.in = loop.buffer();
        this.out = loop.buffer();
    }

    /** Starts connecting to {@code backend} ({@code ip:port}); on loopback it is often done at once. */
    static UpstreamConnection open(ProxyLoop loop, String backend, ProxiedExchange exchange) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            HttpProxy.configure(channel);
            boolean connected = channel.connect(address(backend));
            UpstreamConnection c = new UpstreamConnection(loop, backend, channel, connected);
            c.exchange = exchange;
            c.connectDeadline = System.nanoTime() + loop.proxy.options.connectTimeout().toNanos();
            return c;
        } catch (IOException | RuntimeException e) {
            ProxyLoop.closeQuietly(channel);
            throw e;
        }
    }

    /** {@code ip:port} as a socket address. */
    static InetSocketAddress address(String backend) {
        int colon = backend.lastIndexOf(':');
        return new InetSocketAddress(backend.substring(0, colon), Integer.parseInt(backend.substring(colon + 1)));
    }

    @Override
    public void ready(SelectionKey key) throws IOException {
        if (exchange == null) { // idle: the backend closed it (or sent bytes nobody asked for)
            loop.pool.drop(this);
            return;
        }
        if (key.isConnectable()) {
            if (!channel.finishConnect()) return; // throws when refused: abort() tells the exchange
            connecting = false;
            exchange.upstreamConnected(this);
            return;
        }
        if (key.isWritable()) flush();
        if (key.isReadable() && !eof && in.hasRemaining()) {
            if (channel.read(in) < 0) eof = true;
        }
        exchange.advance();
    }

    /** Writes what {@code out} holds, as far as the socket takes it; true when it is all gone. */
    boolean flush() throws IOException {
        if (out.position() == 0) return true;
        out.flip();
        channel.write(out);
        out.compact();
        return out.position() == 0;
    }

    /** What this connection waits for: connect; read unless its exchange has no room; write when {@code out} is not empty. */
    void interest(boolean read) {
        if (closed) return;
        int ops = connecting ? SelectionKey.OP_CONNECT
                : (read && !eof && in.hasRemaining() ? SelectionKey.OP_READ : 0) | (out.position() > 0 ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) key.interestOps(ops);
    }

    /** Back to waiting in the pool: reading only, to notice when the backend closes it. */
    void idle() {
        exchange = null;
        in.clear();
        out.clear();
        if (key.interestOps() != SelectionKey.OP_READ) key.interestOps(SelectionKey.OP_READ);
    }

    boolean isOpen() {
        return !closed && channel.isOpen() && !eof;
    }

    @Override
    public void abort() {
        if (exchange != null) exchange.upstreamFailed(this);
        else close();
    }

    void close() {
        if (closed) return;
        closed = true;
        key.cancel();
        ProxyLoop.closeQuietly(channel);
        loop.release(in);
        loop.release(out);
        in = null;
        out = null;
    }
}

package dev.mo.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One client connection and, in turn, each request on it: read the request head, route it,
 * hand it to a backend connection, pass the request body one way and the response the other,
 * then wait for the next request (keep-alive) or close.
 *
 * <p>Bodies pass through as they came (chunked encoding included); {@link MessageBody} only
 * tells where each one ends. Heads are parsed ({@link HttpHead}) because they are rewritten:
 * hop-by-hop headers out, X-Forwarded-* in.
 *
 * <p>The failure rules:
 * <ul>
 * <li>A backend that cannot be connected to (refused, or no answer within the connect timeout)
 *     is skipped for the next one in turn, for any method: nothing was sent.</li>
 * <li>A connection that fails before any response byte is retried for GET and HEAD without a
 *     body. A failed pooled connection is first retried on a fresh one to the same backend:
 *     that is how a backend that closed an idle keep-alive looks, and with one backend it is
 *     the only way not to fail the request.</li>
 * <li>A backend that has sent no response byte for a second gets a {@link BackendCheck}, and
 *     another every second after: a new connection to it that fails means its host is gone
 *     (dead or cut off, and not yet out of the Endpoints), so the request is handled as if its
 *     connection had failed. A backend that fails a check or a connect by timeout is tried
 *     last for a while. A slow backend passes its checks and keeps its request.</li>
 * <li>No backend left: 502 naming the ones tried. No response head within the response
 *     timeout: 504, not retried. A response that has started is never cut by a timeout.</li>
 * </ul>
 */
final class ProxiedExchange implements ProxyLoop.Handler {
    private static final Logger log = LoggerFactory.getLogger(ProxiedExchange.class);
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final long LINGER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    /** A request whose backend has sent nothing for this long gets a {@link BackendCheck}. */
    private static final long CHECK_AFTER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private enum Phase {
        /** Waiting for (the rest of) a request head. */
        HEAD,
        /** A request is with a backend: body one way, response the other. */
        FORWARD,
        /** The last response is being written; the connection closes after it. */
        CLOSING,
        /**
         * Our side is shut; what the client still sends is read and dropped for a moment, so that
         * closing with unread bytes does not reset the connection before the client has read our
         * last answer (as nginx's lingering close).
         */
        LINGER,
        CLOSED
    }

    private final ProxyLoop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final String peer;
    /** Bytes from the client not yet passed on: {@code [0, position)}. */
    private ByteBuffer in;
    /** Bytes for the client the socket has not taken yet: {@code [0, position)}. */
    private ByteBuffer out;
    private boolean clientDone;
    private Phase phase = Phase.HEAD;
    private boolean advancing;
    private long lingerDeadline;
    /** A whole request head must have come by then (HEAD phase). */
    private long headDeadline;
    /** When the client last took bytes of a response, or when they began to wait for it. */
    private long lastWriteProgress = System.nanoTime();

    // ---- the request in progress
    private String method;
    private boolean http10;
    private boolean keepAlive;
    private MessageBody requestBody;
    private byte[] upstreamHead;
    private boolean bodyBytesSent;
    private Route route;
    private Attempt attempt;
    private UpstreamConnection up;
    private long responseDeadline;
    /** When the backend, if it has still not answered, gets its next check. */
    private long checkAt;
    private BackendCheck check;
    private boolean timedOut;
    private boolean responseStarted;
    private MessageBody responseBody;
    private boolean upstreamReusable;
    /** An HTTP/1.0 client gets a chunked response's content without the chunk framing. */
    private boolean dechunk;
    /**
     * The response head of a GET or HEAD, kept back until the first byte of its body (or its
     * end) comes: a backend killed between its head and its body can then still be replaced by
     * another, unseen by the client, where a head already sent would leave the client a cut
     * response. Small responses usually come in one read, head and body, and pass at once.
     */
    private HttpHead heldHead;

    ProxiedExchange(ProxyLoop loop, SocketChannel channel) throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.peer = ((InetSocketAddress) channel.getRemoteAddress()).getAddress().getHostAddress();
        this.in = loop.buffer();
        this.out = loop.buffer();
        this.key = loop.register(channel, SelectionKey.OP_READ, this);
        this.headDeadline = System.nanoTime() + loop.proxy.options.clientTimeout().toNanos();
        loop.exchanges.add(this);
    }

    // ------------------------------------------------------------------ events

    @Override
    public void ready(SelectionKey key) throws IOException {
        if (phase == Phase.LINGER) {
            in.clear();
            if (channel.read(in) < 0) close();
            return;
        }
        if (key.isWritable()) flushOut();
        if (key.isReadable() && !clientDone && in.hasRemaining()) {
            if (channel.read(in) < 0) clientDone = true;
        }
        advance();
    }

    /** Does whatever the bytes at hand allow, until nothing more can be done before the next event. */
    void advance() {
        if (advancing) return; // called back from within a step: the loop below carries on
        advancing = true;
        try {
            while (step()) {
                // each step may make the next possible
            }
            if (phase != Phase.CLOSED) interest();
        } catch (IOException e) {
            log.debug("client connection failed: {}", e.toString());
            abort();
        } finally {
            advancing = false;
        }
    }

    private boolean step() throws IOException {
        switch (phase) {
            case HEAD:
                if (out.position() > 0) return false; // the last response first
                int end = HttpHead.end(in);
                if (end < 0) {
                    if (clientDone) {
                        close();
                    } else if (!in.hasRemaining()) {
                        if (in.capacity() < MAX_HEAD_BYTES) in = grow(in, MAX_HEAD_BYTES);
                        else reply(431, "request head larger than " + MAX_HEAD_BYTES + " bytes", true);
                        return phase != Phase.HEAD || in.hasRemaining();
                    }
                    return false;
                }
                begin(end);
                return true;
            case FORWARD:
                return pump();
            case CLOSING:
                if (out.position() > 0) return false;
                if (clientDone) {
                    close();
                } else {
                    channel.shutdownOutput();
                    phase = Phase.LINGER;
                    lingerDeadline = System.nanoTime() + LINGER_NANOS;
                }
                return false;
            default:
                return false;
        }
    }

    // ------------------------------------------------------------------ a new request

    private void begin(int headEnd) {
        method = null;
        HttpHead request;
        try {
            request = HttpHead.parse(in, headEnd);
        } catch (HttpHead.Malformed e) {
            consume(in, headEnd);
            requestBody = MessageBody.none();
            reply(400, e.getMessage(), true);
            return;
        }
        consume(in, headEnd);
        method = request.first;
        String version = request.third;
        http10 = version.equals("HTTP/1.0");
        requestBody = MessageBody.none();
        responseStarted = false;
        heldHead = null;
        timedOut = false;
        bodyBytesSent = false;
        if (!http10 && !version.equals("HTTP/1.1")) {
            reply(505, "HTTP version not supported: " + version, true);
            return;
        }
        keepAlive = http10 ? request.hasToken("Connection", "keep-alive") : !request.hasToken("Connection", "close");
        try {
            requestBody = MessageBody.ofRequest(request);
        } catch (HttpHead.Malformed e) {
            reply(400, e.getMessage(), true);
            return;
        }
        String hostHeader = request.get("Host");
        String host = hostHeader != null ? hostHeader : "";
        String path = HttpHead.decodedPath(request.second);
        route = loop.proxy.route(host, path);
        ProxyOptions options = loop.proxy.options;
        if (route == null) {
            reply(404, "no route for host " + host + " path " + path, false);
            return;
        }
        if (route.backends().isEmpty()) {
            reply(503, "no ready endpoints for service " + route.serviceKey(), false);
            return;
        }
        if (requestBody.fixedLength() > options.maxRequestBodyBytes()) {
            reply(413, "request body larger than " + options.maxRequestBodyBytes() + " bytes", true);
            return;
        }
        upstreamHead = upstreamHead(request, host);
        attempt = new Attempt(route, loop.proxy.nextTurn(route), loop.proxy::isUnreachable);
        phase = Phase.FORWARD;
        responseDeadline = System.nanoTime() + options.responseTimeout().toNanos();
        connectNext();
    }

    /**
     * The head the backend gets: the client's, without hop-by-hop headers, with the
     * X-Forwarded-* headers a pod uses to learn who asked and how. X-Forwarded-For is appended
     * to (as nginx's {@code $proxy_add_x_forwarded_for}); X-Forwarded-Proto is always ours: we
     * only serve plain HTTP, and a client must not be able to claim https.
     */
    private byte[] upstreamHead(HttpHead request, String host) {
        boolean chunked = requestBody.isChunked();
        request.third = "HTTP/1.1"; // so that the backend connection can be kept, whatever the client speaks
        if (request.get("Host") == null) request.add("Host", host.isEmpty() ? route.backends().get(0) : host);
        request.removeHopByHop();
        if (chunked) request.add("Transfer-Encoding", "chunked");
        String forwardedFor = request.get("X-Forwarded-For");
        request.set("X-Forwarded-For", forwardedFor == null ? peer : forwardedFor + "," + peer);
        request.set("X-Forwarded-Proto", "http");
        if (request.get("X-Forwarded-Host") == null && !host.isEmpty()) request.set("X-Forwarded-Host", host);
        request.set("X-Forwarded-Port", Integer.toString(loop.proxy.port()));
        return request.bytes();
    }

    // ------------------------------------------------------------------ choosing and reaching a backend

    private void connectNext() {
        while (attempt.advance()) {
            UpstreamConnection pooled = attempt.fresh ? null : loop.pool.poll(attempt.backend);
            if (pooled != null) {
                attach(pooled, true);
                upstreamConnected(pooled);
                return;
            }
            try {
                UpstreamConnection c = UpstreamConnection.open(loop, attempt.backend, this);
                attach(c, false);
                if (!c.connecting) upstreamConnected(c);
                return;
            } catch (IOException e) {
                log.debug("connect to {} failed: {}", attempt.backend, e.toString());
            }
        }
        gaveUp();
    }

    private void attach(UpstreamConnection c, boolean reused) {
        cancelCheck();
        up = c;
        c.exchange = this;
        attempt.reused = reused;
        upstreamReusable = false;
    }

    /** The connection is ready: the head goes out, then whatever body is at hand. */
    void upstreamConnected(UpstreamConnection c) {
        if (c != up) return;
        if (c.out.remaining() < upstreamHead.length) c.out = grow(c.out, upstreamHead.length + ProxyLoop.BUFFER_BYTES);
        c.out.put(upstreamHead);
        checkAt = System.nanoTime() + CHECK_AFTER_NANOS;
        advance();
    }

    /** The answer of the check that {@link #checkTimers} started on the current backend. */
    void checked(BackendCheck c, boolean reachable) {
        if (c != check) return;
        check = null;
        if (up == null || !up.backend.equals(c.backend) || phase != Phase.FORWARD || responseStarted) return;
        if (reachable) {
            checkAt = System.nanoTime() + CHECK_AFTER_NANOS; // slow, not gone: it keeps the request
            return;
        }
        log.info("backend {} ({}) takes no new connection: its host looks gone; giving up the request waiting on it",
                c.backend, route.serviceKey());
        if (c.hostSilent) loop.proxy.markHostSilent(c.backend);
        else loop.proxy.markUnreachable(c.backend);
        attempt.reused = false; // not a stale keep-alive: trying the same backend again would not help
        upstreamFailed(up);
    }

    private void cancelCheck() {
        if (check != null) {
            check.cancel();
            check = null;
        }
    }

    /**
     * The backend connection failed: refused, reset, closed before a whole response head, or an
     * I/O error. Called by the connection (or by us when it ends early).
     */
    void upstreamFailed(UpstreamConnection c) {
        if (c != up) {
            c.close();
            return;
        }
        boolean connectFailed = c.connecting;
        c.close();
        up = null;
        if (phase != Phase.FORWARD) return;
        if (heldHead != null) { // the client has seen nothing yet: as if the backend had not answered
            heldHead = null;
            responseStarted = false;
        }
        if (responseStarted) { // part of the response is out: the client can only see it cut
            log.debug("backend {} failed in the middle of a response", c.backend);
            keepAlive = false;
            close();
            return;
        }
        if (timedOut) {
            timedOutReply();
            return;
        }
        boolean retry = connectFailed || retryable();
        log.debug("backend {} failed before answering; {}", c.backend, retry ? "trying again" : "giving up");
        if (retry) connectNext();
        else gaveUp();
        advance();
    }

    private void gaveUp() {
        if (timedOut) timedOutReply();
        else reply(502, "upstream unreachable: service " + route.serviceKey() + ", tried " + attempt.tried, false);
    }

    private void timedOutReply() {
        reply(504, "upstream timed out: service " + route.serviceKey() + " (" + attempt.backend + ")", false);
    }

    /** Called by the loop's sweep: a request head, a connect or a response start that is overdue; a lingering close done. */
    void checkTimers(long now) {
        if (phase == Phase.LINGER) {
            if (now - lingerDeadline >= 0) close();
            return;
        }
        if (out.position() > 0 && now - lastWriteProgress >= loop.proxy.options.clientTimeout().toNanos()) {
            log.debug("client took no response bytes for {}; closing", loop.proxy.options.clientTimeout());
            close(); // a client that stopped reading: let go of it and of its backend connection
            return;
        }
        if (phase == Phase.HEAD) {
            if (out.position() > 0 || now - headDeadline < 0) return;
            if (in.position() == 0) {
                close(); // an idle keep-alive: nothing to say
            } else {
                reply(408, "request head not received within " + loop.proxy.options.clientTimeout().toSeconds() + " s", true);
                advance();
            }
            return;
        }
        if (phase != Phase.FORWARD || responseStarted) return;
        if (now - responseDeadline >= 0) {
            timedOut = true;
            if (up != null) {
                up.close();
                up = null;
            }
            timedOutReply();
            advance();
        } else if (up != null && up.connecting && now - up.connectDeadline >= 0) {
            log.debug("connect to {} timed out", up.backend);
            loop.proxy.markHostSilent(up.backend);
            upstreamFailed(up);
        } else if (check != null) {
            check.expireIfOverdue(now);
        } else if (up != null && !up.connecting && now - checkAt >= 0) {
            checkAt = now + CHECK_AFTER_NANOS; // the next one, should this one find it reachable
            try {
                check = BackendCheck.start(loop, up.backend, this);
            } catch (IOException e) {
                log.debug("cannot check backend {}: {}", up.backend, e.toString());
            }
        }
    }

    // ------------------------------------------------------------------ passing bytes

    /** One round of moving bytes both ways; true if the phase changed (so the next step may do more). */
    private boolean pump() throws IOException {
        UpstreamConnection c = up;
        if (c == null || c.connecting) return false;
        try {
            if (!requestBody.complete()) passRequestBody(c);
            long max = loop.proxy.options.maxRequestBodyBytes();
            if (requestBody.contentSoFar() > max) { // a chunked body says its size only as it goes
                requestFailed(413, "request body larger than " + max + " bytes");
                return true;
            }
            c.flush();
        } catch (IOException e) {
            upstreamFailed(c);
            return true;
        } catch (MessageBody.Malformed e) {
            requestFailed(400, e.getMessage());
            return true;
        }
        if (up != c) return true;
        try {
            passResponse(c);
        } catch (HttpHead.Malformed | MessageBody.Malformed e) {
            log.debug("backend {} sent a bad response: {}", c.backend, e.getMessage());
            c.close();
            up = null;
            if (responseStarted) close();
            else reply(502, "bad response from upstream: service " + route.serviceKey() + " (" + c.backend + "): " + e.getMessage(), false);
            return true;
        }
        flushOut();
        return up != c || phase != Phase.FORWARD;
    }

    private void passRequestBody(UpstreamConnection c) throws MessageBody.Malformed {
        in.flip();
        int room = c.out.remaining();
        int limit = in.limit();
        in.limit(in.position() + Math.min(room, in.remaining()));
        int n = requestBody.take(in);
        in.limit(in.position() + n);
        c.out.put(in);
        in.limit(limit);
        in.compact();
        if (n > 0) bodyBytesSent = true;
        if (clientDone && !requestBody.complete() && in.position() == 0) {
            throw new MessageBody.Malformed("client closed the connection in the middle of the request body");
        }
    }

    private void passResponse(UpstreamConnection c) throws HttpHead.Malformed, MessageBody.Malformed {
        while (!responseStarted) {
            int end = HttpHead.end(c.in);
            if (end < 0) {
                if (c.eof) {
                    upstreamFailed(c);
                } else if (!c.in.hasRemaining()) {
                    if (c.in.capacity() >= MAX_HEAD_BYTES) throw new HttpHead.Malformed("response head larger than " + MAX_HEAD_BYTES + " bytes");
                    c.in = grow(c.in, MAX_HEAD_BYTES);
                }
                return;
            }
            HttpHead response = HttpHead.parse(c.in, end);
            consume(c.in, end);
            int status = status(response);
            if (status >= 100 && status < 200) {
                if (status == 101) throw new HttpHead.Malformed("101 Switching Protocols without an Upgrade request");
                if (!http10) write(response, false); // 100 Continue and friends: the client may be waiting for it
                continue;
            }
            startResponse(response, status);
        }
        if (heldHead != null) {
            if (c.in.position() == 0 && !responseBody.complete()) {
                if (c.eof) upstreamFailed(c); // a head and no body: the backend died in between
                return;
            }
            write(heldHead, true);
            heldHead = null;
        }
        c.in.flip();
        int limit = c.in.limit();
        c.in.limit(c.in.position() + Math.min(out.remaining(), c.in.remaining()));
        if (dechunk) {
            c.in.position(c.in.position() + responseBody.take(c.in, out));
        } else {
            int n = responseBody.take(c.in);
            c.in.limit(c.in.position() + n);
            out.put(c.in);
        }
        c.in.limit(limit);
        c.in.compact();
        if (responseBody.complete()) {
            finish();
        } else if (c.eof && c.in.position() == 0) {
            if (!responseBody.endsWithClose()) keepAlive = false; // cut short: the client sees it end early
            finish();
        }
    }

    private void startResponse(HttpHead response, int status) {
        responseStarted = true;
        responseBody = MessageBody.ofResponse(response, method, status);
        upstreamReusable = response.first.equals("HTTP/1.1") && !response.hasToken("Connection", "close")
                && !responseBody.endsWithClose();
        dechunk = http10 && responseBody.isChunked();
        if (responseBody.endsWithClose() || dechunk) keepAlive = false; // the client learns where the body ends by the close
        if (!requestBody.complete()) keepAlive = false;     // answered early: the rest of the request body is not read
        if (retryable()) heldHead = response;
        else write(response, true);
    }

    /** Whether this request may be sent to another backend after one failed: a GET or HEAD whose body no backend has had. */
    private boolean retryable() {
        return !bodyBytesSent && (method.equals("GET") || method.equals("HEAD"));
    }

    private static int status(HttpHead response) throws HttpHead.Malformed {
        try {
            return Integer.parseInt(response.second);
        } catch (NumberFormatException e) {
            throw new HttpHead.Malformed("bad status: " + response.second);
        }
    }

    /** Writes a response head for the client: hop-by-hop headers out, our own connection headers in. */
    private void write(HttpHead response, boolean finalResponse) {
        boolean chunked = finalResponse && responseBody.isChunked() && !dechunk;
        response.removeHopByHop();
        if (chunked) response.add("Transfer-Encoding", "chunked");
        if (finalResponse && !keepAlive) response.add("Connection", "close");
        else if (finalResponse && http10) response.add("Connection", "keep-alive");
        byte[] bytes = response.bytes();
        if (out.remaining() < bytes.length) out = grow(out, out.position() + bytes.length + ProxyLoop.BUFFER_BYTES);
        out.put(bytes);
    }

    /** The response went past in full: the backend connection goes back to the pool if it can be reused. */
    private void finish() {
        UpstreamConnection c = up;
        up = null;
        boolean reuse = upstreamReusable && requestBody.complete() && !c.eof && c.in.position() == 0
                && loop.proxy.isLive(c.backend);
        if (reuse) {
            c.idle();
            loop.pool.offer(c);
        } else {
            c.close();
        }
        endExchange();
    }

    private void endExchange() {
        cancelCheck();
        headDeadline = System.nanoTime() + loop.proxy.options.clientTimeout().toNanos();
        method = null;
        route = null;
        attempt = null;
        upstreamHead = null;
        phase = keepAlive && !clientDone ? Phase.HEAD : Phase.CLOSING;
    }

    // ------------------------------------------------------------------ our own answers

    /** Answers with a short text body; ends any backend connection of this request. */
    private void reply(int status, String message, boolean close) {
        if (up != null) {
            up.close();
            up = null;
        }
        if (requestBody == null || !requestBody.complete()) skipRequestBody();
        if (close || requestBody == null || !requestBody.complete()) keepAlive = false;
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        int size = headBytes.length + ("HEAD".equals(method) ? 0 : body.length);
        if (out.remaining() < size) out = grow(out, out.position() + size);
        out.put(headBytes);
        if (!"HEAD".equals(method)) out.put(body);
        responseStarted = true;
        endExchange();
    }

    /** A request body we will not forward: drop what of it is here already (the rest keeps the connection from reuse). */
    private void skipRequestBody() {
        if (requestBody == null) return;
        in.flip();
        try {
            int n = requestBody.take(in);
            in.position(in.position() + n);
        } catch (MessageBody.Malformed e) {
            in.position(in.limit());
            requestBody = MessageBody.untilClose();
        }
        in.compact();
    }

    private void requestFailed(int status, String message) {
        if (responseStarted) {
            close();
        } else {
            keepAlive = false;
            reply(status, message, true);
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }

    // ------------------------------------------------------------------ plumbing

    private void flushOut() throws IOException {
        if (out.position() == 0) {
            lastWriteProgress = System.nanoTime();
            return;
        }
        out.flip();
        if (channel.write(out) > 0) lastWriteProgress = System.nanoTime();
        out.compact();
    }

    /**
     * Reading from the client while there is room for it (pipelined requests wait in {@code in});
     * reading from the backend while the client's buffer has room: a slow reader slows the
     * backend down instead of filling memory. Write interest only while bytes wait.
     */
    private void interest() {
        int ops = phase == Phase.LINGER ? SelectionKey.OP_READ
                : (!clientDone && in.hasRemaining() ? SelectionKey.OP_READ : 0) | (out.position() > 0 ? SelectionKey.OP_WRITE : 0);
        if (key.isValid() && key.interestOps() != ops) key.interestOps(ops);
        if (up != null) up.interest(out.hasRemaining());
    }

    private static void consume(ByteBuffer buf, int n) {
        buf.flip();
        buf.position(n);
        buf.compact();
    }

    /** A bigger copy of a buffer that is being filled (heads larger than 16 KiB; rare). */
    private ByteBuffer grow(ByteBuffer buf, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(capacity, buf.capacity()));
        buf.flip();
        bigger.put(buf);
        loop.release(buf);
        return bigger;
    }

    @Override
    public void abort() {
        close();
    }

    private void close() {
        if (phase == Phase.CLOSED) return;
        phase = Phase.CLOSED;
        loop.exchanges.remove(this);
        cancelCheck();
        if (up != null) {
            up.close();
            up = null;
        }
        key.cancel();
        ProxyLoop.closeQuietly(channel);
        loop.release(in);
        loop.release(out);
    }
}

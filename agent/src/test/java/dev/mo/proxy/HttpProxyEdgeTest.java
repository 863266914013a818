package dev.mo.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.mo.proxy.Objects.endpoints;
import static dev.mo.proxy.Objects.ingress;
import static dev.mo.proxy.Objects.path;
import static dev.mo.proxy.Objects.readyPod;
import static dev.mo.proxy.Objects.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edge cases of HTTP/1.1 forwarding through {@link HttpProxy}: request and response bodies in every
 * framing, keep-alive and pipelining on the client side, connection reuse on the upstream side,
 * slow and vanishing clients, 100-continue, URIs, and oversized heads. The client and the upstream
 * are hand-written over raw sockets, so the tests see (and control) the exact bytes on the wire.
 * Every socket has a 5 s timeout: a misbehaving proxy fails a test, it never hangs it.
 */
@Timeout(60)
class HttpProxyEdgeTest {
    private static final int TIMEOUT_MS = 5_000;
    private static final String HOST = "shop.example.com";
    /** 8 MiB of seeded random bytes: large bodies whose corruption a checksum would show. */
    private static final byte[] RANDOM = randomBytes(8 << 20, 42);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) c.close();
    }

    // ---------------------------------------------------------------- request bodies

    @Test
    void contentLengthBodyOfOneMebibyteArrivesByteForByte() throws Exception {
        RawUpstream up = upstream((req, out) -> ok(out, (req.body().length + " " + sha256(req.body())).getBytes()));
        HttpProxy p = proxy(HttpProxyTest.table(up.backend()));
        byte[] body = Arrays.copyOf(RANDOM, (1 << 20) + 17);
        try (Client c = client(p)) {
            c.send(("POST /upload HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(),
                    body);
            Resp r = c.read();
            assertEquals(200, r.status());
            assertEquals(body.length + " " + sha256(body), r.text());
        }
        assertEquals(sha256(body), sha256(up.requests.get(0).body()));
    }

    @Test
    void chunkedRequestBodyArrivesWithTheSameDecodedContent() throws Exception {
        RawUpstream up = upstream((req, out) -> ok(out, (req.body().length + " " + sha256(req.body())).getBytes()));
        HttpProxy p = proxy(HttpProxyTest.table(up.backend()));
        byte[] body = Arrays.copyOf(RANDOM, 100_000);
        int[] chunkSizes = {1, 4096, 30_000, 5, 65_898};
        try (Client c = client(p)) {
            c.send(("POST /upload HTTP/1.1\r\nHost: " + HOST + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes());
            int at = 0;
            for (int size : chunkSizes) {
                c.send((Integer.toHexString(size) + "\r\n").getBytes(), Arrays.copyOfRange(body, at, at + size),
                        "\r\n".getBytes());
                at += size;
            }
            assertEquals(body.length, at);
            c.send("0\r\n\r\n".getBytes());
            Resp r = c.read();
            assertEquals(200, r.status());
            assertEquals(body.length + " " + sha256(body), r.text());
        }
    }

    @Test
    void chunkedRequestBodyOverTheLimitIs413() throws Exception {
        RawUpstream up = upstream((req, out) -> ok(out, "read it all".getBytes()));
        HttpProxy p = closing(HttpProxy.start("127.0.0.1", 0, ProxyOptions.defaults().withMaxRequestBodyBytes(1000)));
        p.update(HttpProxyTest.table(up.backend()));
        try (Client c = client(p)) {
            c.send(("POST /upload HTTP/1.1\r\nHost: " + HOST + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes());
            c.send("3e8\r\n".getBytes(), Arrays.copyOf(RANDOM, 1000), "\r\n".getBytes()); // exactly the limit: fine so far
            c.send("1\r\nx\r\n".getBytes());
            Resp r = c.read();
            assertEquals(413, r.status());
            assertEquals("request body larger than 1000 bytes\n", r.text());
            assertEquals("close", r.header("Connection"));
        }
    }

    // ---------------------------------------------------------------- response bodies

    @Test
    void chunkedResponseArrivesDecodedAndTheConnectionIsReusedAfterIt() throws Exception {
        byte[] body = Arrays.copyOf(RANDOM, 200 * 1024);
        RawUpstream up = upstream((req, out) -> {
            if (!req.target().equals("/chunked")) return ok(out, "second".getBytes());
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes());
            int[] sizes = {7, 100_000, 1, 50_000, 54_792};
            int at = 0;
            for (int size : sizes) {
                out.write((Integer.toHexString(size) + "\r\n").getBytes());
                out.write(body, at, size);
                out.write("\r\n".getBytes());
                out.flush();
                at += size;
            }
            out.write("0\r\n\r\n".getBytes());
            return true;
        });
        HttpProxy p = proxy(HttpProxyTest.table(up.backend()));
        try (Client c = client(p)) {
            c.send(get("/chunked"));
            Resp first = c.read();
            assertEquals(200, first.status());
            assertEquals(sha256(body), sha256(first.body()));
            c.send(get("/second"));
            Resp second = c.read();
            assertEquals(200, second.status());
            assertEquals("second", second.text());
        }
    }

    @Test
    void largeResponseReadSlowlyArrivesComplete() throws Exception {
        RawUpstream up = upstream((req, out) -> ok(out, RANDOM));
        HttpProxy p = proxy(HttpProxyTest.table(up.backend()));
        try (Client c = client(p)) {
            c.send(get("/big"));
            Resp head = c.readHead();
            assertEquals(200, head.status());
            assertEquals(String.valueOf(RANDOM.length), head.header("Content-Length"));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] piece = new byte[4096];
            for (int i = 0; i < 100; i++) { // the first 400 KiB slowly, while the upstream has long sent everything
                int n = c.in.read(piece);
                assertTrue(n > 0, "end of stream after " + received.size() + " bytes");
                received.write(piece, 0, n);
                Thread.sleep(5);
            }
            received.write(c.in.readNBytes(RANDOM.length - received.size()));
            assertEquals(RANDOM.length, received.size());
            assertEquals(sha256(RANDOM), sha256(received.toByteArray()));
        }
    }

    @Test
    void responseEndedByUpstreamCloseArrivesComplete() throws Exception {
        byte[] body = Arrays.copyOf(RANDOM, 300_000);
        RawUpstream up = upstream((req, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n".getBytes());
            out.write(body);
            out.close(); // the end of the body
            return false;
        });
        HttpProxy p = proxy(HttpProxyTest.table(up.backend()));
        try (Client c = client(p)) {
            c.send(get("/eof"));
            Resp r = c.read(); // by the framing the proxy chose: chunked, or up to the end of the stream
            assertEquals(200, r.status());
            assertEquals(body.length, r.body().length);
            assertEquals(sha256(body), sha256(r.body()));
        }
    }

    @Test
    void aBackendThatDiesBetweenItsHeadAndItsBodyIsReplacedForAGet() throws Exception {
        RawUpstream dying = upstream((req, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".getBytes());
            out.flush();
            out.close(); // killed before its body
            return false;
        });
        RawUpstream healthy = upstream((req, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".getBytes());
            return true;
        });
        HttpProxy p = proxy(HttpProxyTest.table(dying.backend(), healthy.backend()));
        for (int i = 0; i < 4; i++) {
            try (Client c = client(p)) {
                c.send(get("/menu"));
                Resp r = c.read();
                assertEquals(200, r.status());
                assertEquals("hello", new String(r.body()));
            }
        }
        assertTrue(dying.requests.size() >= 2, "the dying backend had its turns: " + dying.requests.size());
    }

    @Test
    void noContentAndNotModifiedKeepTheConnectionUsable() throws Exception {
        RawUpstream up = upstream((req, out) -> {
            switch (req.target()) {
                case "/204" -> out.write("HTTP/1.1 204 No Content\r\nX-Kind: nc\r\n\r\n".getBytes());
                case "/304" -> out.write("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n".getBytes());
                default -> ok(out, "after".getBytes());
            }
            return true;
        });
        HttpProxy p = proxy(HttpProxyTest.table(up.backend()));
        try (Client c = client(p)) {
            c.send(get("/204"));
            Resp noContent = c.read();
            assertEquals(204, noContent.status());
            assertEquals("nc", noContent.header("X-Kind"));
            c.send(get("/304", "If-None-Match: \"v1\""));
            Resp notModified = c.read();
            assertEquals(304, notModified.status());
            assertEquals("\"v1\"", notModified.header("ETag"));
            c.send(get("/ok"));
            Resp after = c.read();
            assertEquals(200, after.status());
            assertEquals("after", after.text());
        }
        assertEquals("\"v1\"", up.requests.get(1).headers().get("if-none-match"));
    }

    // ---------------------------------------------------------------- connections

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        RawUpstream up = upstream((req, out) -> {
            if (req.target().equals("/slow")) sleep(300); // the first answer is the later one, if they run in parallel
            return ok(out, ("answer to " + req.target()).getBytes());
        });
        HttpProxy p = proxy(HttpProxyTest.table(up.backend()));
        try (Client c = client(p)) {
            c.send((new String(get("/slow")) + new String(get("/fast"))).getBytes());
            Resp first = c.read();
            Resp second = c.read();
            assertEquals("answer to /slow", first.text());
            assertEquals("answer to /fast", second.text());
        }
    }

    @Test
    void upstreamConnectionAnsweredWithConnectionCloseIsNotReused() throws Exception {
        RawUpstream up = upstream((req, out) -> {
            if (!req.target().equals("/last")) return ok(out, "again".getBytes());
            ok(out, "last".getBytes(), "Connection: close");
            return false; // reads no further request on this connection, yet leaves it open
        });
        HttpProxy p = proxy(HttpProxyTest.table(up.backend()));
        assertEquals("last", exchange(p, get("/last")).text());
        // A POST: not retried, so a request sent on the dead connection would fail, not be hidden.
        Resp r = exchange(p, ("POST /next HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Length: 2\r\n\r\nhi").getBytes());
        assertEquals(200, r.status());
        assertEquals("again", r.text());
        assertEquals(2, up.requests.size());
        assertNotEquals(up.requests.get(0).connection(), up.requests.get(1).connection());
    }

    @Test
    void http10RequestWithoutKeepAliveIsAnsweredAndTheConnectionClosed() throws Exception {
        RawUpstream up = upstream((req, out) -> { // chunked, which an HTTP/1.0 client does not understand
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nfor\r\n4\r\n 1.0\r\n0\r\n\r\n".getBytes());
            return true;
        });
        HttpProxy p = proxy(HttpProxyTest.table(up.backend()));
        try (Client c = client(p)) {
            c.send(("GET /old HTTP/1.0\r\nHost: " + HOST + "\r\n\r\n").getBytes());
            Resp r = c.read();
            assertEquals(200, r.status());
            assertNull(r.header("Transfer-Encoding"));
            assertEquals("for 1.0", r.text());
            assertEquals(-1, c.in.read(), "the proxy closes the connection after the response");
        }
    }

    @Test
    void clientLeavingMidResponseDoesNotBreakTheProxy() throws Exception {
        CountDownLatch upstreamCut = new CountDownLatch(1);
        RawUpstream up = hugeResponseUpstream(upstreamCut);
        HttpProxy p = proxy(HttpProxyTest.table(up.backend()));
        try (Client c = client(p)) {
            c.send(get("/huge"));
            assertEquals(200, c.readHead().status());
            assertEquals(1 << 20, c.in.readNBytes(1 << 20).length);
            c.socket.setSoLinger(true, 0); // close() resets the connection
        }
        assertTrue(upstreamCut.await(5, TimeUnit.SECONDS), "the proxy let go of the upstream connection too");
        for (int i = 0; i < 3; i++) {
            Resp r = exchange(p, get("/after"));
            assertEquals(200, r.status());
            assertEquals("still here", r.text());
        }
    }

    @Test
    void aClientThatStopsReadingIsLetGoAfterTheClientTimeout() throws Exception {
        CountDownLatch upstreamCut = new CountDownLatch(1);
        RawUpstream up = hugeResponseUpstream(upstreamCut);
        HttpProxy p = closing(HttpProxy.start("127.0.0.1", 0, ProxyOptions.defaults().withClientTimeout(Duration.ofMillis(500))));
        p.update(HttpProxyTest.table(up.backend()));
        try (Client c = client(p)) {
            c.send(get("/huge"));
            assertEquals(200, c.readHead().status()); // and then reads nothing more
            assertTrue(upstreamCut.await(5, TimeUnit.SECONDS), "the proxy let go of the stalled exchange and its upstream");
        }
        assertEquals("still here", exchange(p, get("/after")).text());
    }

    // ---------------------------------------------------------------- request heads

    @Test
    void expectContinuePostGetsItsBodyThrough() throws Exception {
        RawUpstream up = upstream((req, out) -> ok(out, ("got " + req.body().length).getBytes()));
        HttpProxy p = proxy(HttpProxyTest.table(up.backend()));
        byte[] body = Arrays.copyOf(RANDOM, 50_000);
        try (Client c = client(p)) {
            c.send(("POST /upload HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Length: " + body.length
                    + "\r\nExpect: 100-continue\r\n\r\n").getBytes());
            Resp interim = c.readWithin(2_000); // null: no 100 Continue came, send anyway (RFC 9110 §10.1.1)
            if (interim != null) assertEquals(100, interim.status());
            c.send(body);
            Resp r = c.read();
            assertEquals(200, r.status());
            assertEquals("got " + body.length, r.text());
        }
        assertEquals(sha256(body), sha256(up.requests.get(0).body()));
    }

    @Test
    void queryStringAndPercentEncodedPathReachTheUpstreamUnchanged() throws Exception {
        RawUpstream app = upstream((req, out) -> ok(out, "app".getBytes()));
        RawUpstream web = upstream((req, out) -> ok(out, "web".getBytes()));
        HttpProxy p = proxy(appAndWebTable(app.backend(), web.backend()));

        assertEquals("app", exchange(p, get("/app?x=1&y=%20z")).text());
        assertEquals("/app?x=1&y=%20z", app.requests.get(0).target());

        assertEquals("app", exchange(p, get("/app/a%20b/%C3%A9?q=%41")).text());
        assertEquals("/app/a%20b/%C3%A9?q=%41", app.requests.get(1).target());

        assertEquals("web", exchange(p, get("/application%20x")).text(), "/app is a prefix by path element");
        assertEquals("/application%20x", web.requests.get(0).target());

        // Routing sees the decoded path (as ingress-nginx does); the upstream still gets the bytes sent.
        assertEquals("app", exchange(p, get("/%61pp/x")).text());
        assertEquals("/%61pp/x", app.requests.get(2).target());
    }

    @Test
    void idleAndSlowClientsAreClosedAfterTheClientTimeout() throws Exception {
        RawUpstream up = upstream((req, out) -> ok(out, "fine".getBytes()));
        HttpProxy p = closing(HttpProxy.start("127.0.0.1", 0, ProxyOptions.defaults().withClientTimeout(Duration.ofMillis(500))));
        p.update(HttpProxyTest.table(up.backend()));
        try (Client idle = client(p); Client slow = client(p)) {
            idle.send(get("/first")); // a keep-alive that then says nothing
            assertEquals("fine", idle.read().text());
            slow.send(("GET /slow HTTP/1.1\r\nHost: " + HOST + "\r\n").getBytes()); // a head never finished
            long start = System.nanoTime();
            assertEquals(-1, idle.in.read(), "the idle keep-alive is closed");
            Resp r = slow.read();
            assertEquals(408, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos());
        }
        assertEquals(1, up.requests.size(), "the unfinished head never reached the upstream");
        assertEquals("fine", exchange(p, get("/after")).text());
    }

    /** A request head may be up to 64 KiB (nginx allows 32 KiB in its default buffers); this one is 100 KiB. */
    @Test
    void oversizedHeaderLineIsRefusedWithoutHangingTheProxy() throws Exception {
        RawUpstream up = upstream((req, out) -> ok(out, "fine".getBytes()));
        HttpProxy p = proxy(HttpProxyTest.table(up.backend()));
        try (Client c = client(p)) {
            c.send(get("/big-header", "X-Big: " + "a".repeat(100 << 10)));
            Resp r = c.read();
            assertEquals(431, r.status());
            assertEquals("close", r.header("Connection"));
        }
        assertTrue(up.requests.isEmpty(), "the oversized head reached the upstream");
        assertEquals("fine", exchange(p, get("/small")).text());
    }

    // ---------------------------------------------------------------- helpers

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private HttpProxy proxy(RoutingTable table) {
        HttpProxy p = closing(HttpProxy.start("127.0.0.1", 0, ProxyOptions.defaults()
                .withConnectTimeout(Duration.ofSeconds(1)).withResponseTimeout(Duration.ofSeconds(4))));
        p.update(table);
        return p;
    }

    private RawUpstream upstream(RawUpstream.Handler handler) throws IOException {
        return closing(new RawUpstream(handler));
    }

    /**
     * Answers {@code /huge} with 32 MiB (far more than the socket buffers hold) and counts
     * {@code cut} down when the proxy drops that connection; anything else with "still here".
     */
    private RawUpstream hugeResponseUpstream(CountDownLatch cut) throws IOException {
        return upstream((req, out) -> {
            if (!req.target().equals("/huge")) return ok(out, "still here".getBytes());
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + 4L * RANDOM.length + "\r\n\r\n").getBytes());
            try {
                for (int i = 0; i < 4; i++) out.write(RANDOM);
            } catch (IOException e) {
                cut.countDown();
                throw e;
            }
            return true;
        });
    }

    private Client client(HttpProxy p) throws IOException {
        return new Client(p.port());
    }

    /** One request on a new connection, and its response. */
    private Resp exchange(HttpProxy p, byte[] request) throws IOException {
        try (Client c = client(p)) {
            c.send(request);
            return c.read();
        }
    }

    /** Ingress: {@code /app} (Prefix) to Service shop/app, everything else to shop/web; any host. */
    private static RoutingTable appAndWebTable(String appBackend, String webBackend) {
        int appPort = Integer.parseInt(appBackend.substring(appBackend.lastIndexOf(':') + 1));
        int webPort = Integer.parseInt(webBackend.substring(webBackend.lastIndexOf(':') + 1));
        String ports = """
                [{"name":"http","port":80}]""";
        return RoutingTable.build(
                List.of(service("shop", "app", "ClusterIP", "172.28.128.11", ports),
                        service("shop", "web", "ClusterIP", "172.28.128.12", ports)),
                List.of(endpoints("shop", "app", "[" + readyPod("http", appPort) + "]"),
                        endpoints("shop", "web", "[" + readyPod("http", webPort) + "]")),
                List.of(ingress("shop", "site", """
                        {"rules":[{"http":{"paths":[%s,%s]}}]}""".formatted(
                        path("/app", "Prefix", "app", 80), path("/", "Prefix", "web", 80)))));
    }

    private static byte[] get(String target, String... headerLines) {
        StringBuilder sb = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: " + HOST + "\r\n");
        for (String h : headerLines) sb.append(h).append("\r\n");
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes a 200 with a Content-Length body; true: keep reading requests on this connection. */
    private static boolean ok(OutputStream out, byte[] body, String... headerLines) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n");
        for (String h : headerLines) sb.append(h).append("\r\n");
        out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        return true;
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A line without its CRLF (ISO-8859-1), or null at the end of the stream before any byte. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                if (sb.isEmpty()) return null;
                throw new IOException("connection closed mid-line: " + sb);
            }
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    /** Header lines up to the empty line; names in lower case, repeated ones joined by ", ". */
    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); ; l = line(in)) {
            if (l == null) throw new IOException("connection closed in the headers");
            if (l.isEmpty()) return headers;
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
    }

    /** A body by its framing: chunked, Content-Length, or (when {@code untilEof}) up to the end of the stream. */
    private static byte[] body(InputStream in, Map<String, String> headers, boolean untilEof) throws IOException {
        String te = headers.get("transfer-encoding");
        if (te != null) {
            assertEquals("chunked", te.toLowerCase(Locale.ROOT));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                byte[] chunk = in.readNBytes(size);
                if (chunk.length < size) throw new IOException("connection closed in a chunk");
                body.write(chunk);
                assertEquals("", line(in), "CRLF after a chunk");
            }
            while (!headers(in).isEmpty()) {
                // trailers: ignored
            }
            return body.toByteArray();
        }
        String cl = headers.get("content-length");
        if (cl != null) {
            int n = Integer.parseInt(cl);
            byte[] body = in.readNBytes(n);
            if (body.length < n) throw new IOException("connection closed after " + body.length + " of " + n + " bytes");
            return body;
        }
        return untilEof ? in.readAllBytes() : new byte[0];
    }

    private static int chunkSize(InputStream in) throws IOException {
        String l = line(in);
        if (l == null) throw new IOException("connection closed before a chunk");
        return Integer.parseInt(l.split(";")[0].trim(), 16);
    }

    /** A response as the client saw it. */
    record Resp(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A client connection to the proxy; reads responses one after another. */
    static final class Client implements AutoCloseable {
        final Socket socket = new Socket();
        final InputStream in;
        final OutputStream out;

        Client(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void send(byte[]... parts) throws IOException {
            for (byte[] part : parts) out.write(part);
            out.flush();
        }

        /** The status line and headers only. */
        Resp readHead() throws IOException {
            String statusLine = line(in);
            if (statusLine == null) throw new IOException("connection closed before a response");
            assertTrue(statusLine.startsWith("HTTP/1."), statusLine);
            return new Resp(Integer.parseInt(statusLine.split(" ")[1]), headers(in), new byte[0]);
        }

        /** The next response; a body without Content-Length or chunking runs to the end of the stream. */
        Resp read() throws IOException {
            Resp head = readHead();
            boolean bodiless = head.status() / 100 == 1 || head.status() == 204 || head.status() == 304;
            return new Resp(head.status(), head.headers(), bodiless ? new byte[0] : body(in, head.headers(), true));
        }

        /** The next response, or null when none starts within {@code millis}. */
        Resp readWithin(int millis) throws IOException {
            socket.setSoTimeout(millis);
            in.mark(1);
            try {
                if (in.read() < 0) throw new IOException("connection closed");
                in.reset();
            } catch (SocketTimeoutException e) {
                return null;
            } finally {
                socket.setSoTimeout(TIMEOUT_MS);
            }
            return read();
        }

        /** The next response, or null when the proxy closed (or reset) the connection instead. */
        Resp readOrNullIfClosed() throws IOException {
            try {
                in.mark(1);
                if (in.read() < 0) return null;
                in.reset();
                return read();
            } catch (SocketException e) { // reset
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * A hand-written HTTP/1.1 upstream on 127.0.0.1: a thread per connection reads each request
     * (Content-Length or chunked body; answers {@code Expect: 100-continue} with 100 Continue),
     * records it, and lets the test's handler write the raw response.
     */
    static final class RawUpstream implements AutoCloseable {
        /** Writes the response; true to read the next request on this connection, false to stop (the handler may close). */
        interface Handler {
            boolean answer(Request req, OutputStream out) throws IOException;
        }

        /** A request as the upstream received it; {@code connection} numbers the upstream connections from 1. */
        record Request(int connection, String method, String target, Map<String, String> headers, byte[] body) {}

        final List<Request> requests = new CopyOnWriteArrayList<>();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final ServerSocket server = new ServerSocket();
        private final Handler handler;

        RawUpstream(Handler handler) throws IOException {
            this.handler = handler;
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            daemon(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        sockets.add(s);
                        int id = sockets.size();
                        daemon(() -> serve(s, id));
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
        }

        String backend() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        private void serve(Socket s, int id) {
            try {
                s.setSoTimeout(10_000);
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                for (String requestLine = line(in); requestLine != null; requestLine = line(in)) {
                    String[] parts = requestLine.split(" ");
                    Map<String, String> headers = headers(in);
                    if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes());
                        out.flush();
                    }
                    Request req = new Request(id, parts[0], parts[1], headers, body(in, headers, false));
                    requests.add(req);
                    boolean more = handler.answer(req, out);
                    out.flush();
                    if (!more) return;
                }
                s.close();
            } catch (IOException e) {
                // the proxy went away
            }
        }

        private static void daemon(Runnable r) {
            Thread t = new Thread(r, "raw-upstream");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) s.close();
        }
    }
}

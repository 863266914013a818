package dev.mo.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static dev.mo.proxy.Objects.endpoints;
import static dev.mo.proxy.Objects.ingress;
import static dev.mo.proxy.Objects.path;
import static dev.mo.proxy.Objects.readyPod;
import static dev.mo.proxy.Objects.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpProxyTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) c.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    /** Service shop/web port 80 ("http") with these ready backends; any host, every path. */
    static RoutingTable table(String... backends) {
        String subsets = Arrays.stream(backends)
                .map(b -> readyPod("http", Integer.parseInt(b.substring(b.lastIndexOf(':') + 1))))
                .collect(Collectors.joining(",", "[", "]"));
        return RoutingTable.build(
                List.of(service("shop", "web", "ClusterIP", "172.28.128.10", """
                        [{"name":"http","port":80}]""")),
                List.of(endpoints("shop", "web", subsets)),
                List.of(ingress("shop", "web", """
                        {"rules":[{"host":"shop.example.com","http":{"paths":[%s]}},
                                  {"http":{"paths":[%s]}}]}""".formatted(
                        path("/", "Prefix", "web", 80), path("/app", "Prefix", "web", 80)))));
    }

    private HttpProxy proxy(RoutingTable table, ProxyOptions options) {
        HttpProxy p = closing(HttpProxy.start("127.0.0.1", 0, options));
        p.update(table);
        return p;
    }

    private HttpProxy proxy(RoutingTable table) {
        return proxy(table, ProxyOptions.defaults().withConnectTimeout(Duration.ofSeconds(1))
                .withResponseTimeout(Duration.ofSeconds(5)));
    }

    private RawHttp.Response get(HttpProxy p, String path) throws IOException {
        return RawHttp.get(p.port(), "shop.example.com", path);
    }

    @Test
    void roundRobinAcrossThreeUpstreams() throws Exception {
        Upstream a = closing(new Upstream("a")), b = closing(new Upstream("b")), c = closing(new Upstream("c"));
        HttpProxy p = proxy(table(a.backend(), b.backend(), c.backend()));
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            RawHttp.Response r = get(p, "/x");
            assertEquals(200, r.status());
            answers.add(r.body());
        }
        assertEquals(List.of("a", "b", "c"), answers.subList(0, 3));
        assertEquals(List.of(10, 10, 10), List.of(a.hits.get(), b.hits.get(), c.hits.get()));
    }

    @Test
    void severalIoThreadsShareTheConnections() throws Exception {
        Upstream a = closing(new Upstream("a")), b = closing(new Upstream("b"));
        HttpProxy p = proxy(table(a.backend(), b.backend()), ProxyOptions.defaults().withIoThreads(3));
        List<CompletableFuture<Integer>> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // 60 connections in all: the first loop accepts them and deals them out to all three
            clients.add(CompletableFuture.supplyAsync(() -> {
                int ok = 0;
                for (int j = 0; j < 10; j++) {
                    try {
                        if (get(p, "/x").status() == 200) ok++;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return ok;
            }));
        }
        for (CompletableFuture<Integer> c : clients) assertEquals(10, c.get(20, TimeUnit.SECONDS));
        assertEquals(60, a.hits.get() + b.hits.get());
        assertEquals(30, a.hits.get(), "round robin per Service port holds across threads");
    }

    @Test
    void keepsConnectionsToUpstreamsAlive() throws Exception {
        Upstream a = closing(new Upstream("a"));
        HttpProxy p = proxy(table(a.backend()));
        for (int i = 0; i < 20; i++) assertEquals(200, get(p, "/").status());
        assertEquals(20, a.hits.get());
        // Mostly one connection; a request may now and then arrive before the previous one's
        // connection is back in the pool (the client saw the whole response first), and open another.
        assertTrue(a.clientPorts.size() <= 4, "20 requests used " + a.clientPorts.size() + " upstream connections");
    }

    @Test
    void stoppedUpstreamFailsNoRequest() throws Exception {
        Upstream a = closing(new Upstream("a")), c = closing(new Upstream("c"));
        String stopped = refusedBackend();
        HttpProxy p = proxy(table(a.backend(), stopped, c.backend()));
        for (int i = 0; i < 60; i++) {
            RawHttp.Response r = i % 2 == 0 ? get(p, "/x")
                    : RawHttp.send(p.port(), "POST", "shop.example.com", "/x", "hi".getBytes());
            assertEquals(200, r.status(), "request " + i + ": " + r.body());
        }
        assertEquals(60, a.hits.get() + c.hits.get());
    }

    @Test
    void getIsRetriedWhenTheConnectionIsResetBeforeAnyResponseByte() throws Exception {
        Upstream good = closing(new Upstream("good"));
        ResettingUpstream bad = closing(new ResettingUpstream());
        HttpProxy p = proxy(table(bad.backend(), good.backend()));
        for (int i = 0; i < 10; i++) {
            RawHttp.Response r = get(p, "/x");
            assertEquals(200, r.status(), r.body());
            assertEquals("good", r.body());
        }
        assertTrue(bad.accepted.size() >= 5, "the resetting upstream was tried");
        // A POST may have reached the application: it is not retried, the client learns it failed.
        RawHttp.Response first = RawHttp.send(p.port(), "POST", "shop.example.com", "/x", "hi".getBytes());
        RawHttp.Response second = RawHttp.send(p.port(), "POST", "shop.example.com", "/x", "hi".getBytes());
        assertEquals(List.of(200, 502).stream().sorted().toList(),
                List.of(first.status(), second.status()).stream().sorted().toList());
    }

    @Test
    void getWaitingOnABackendWhoseHostIsGoneIsRetriedOnAnother() throws Exception {
        VanishingUpstream gone = closing(new VanishingUpstream());
        Upstream good = closing(new Upstream("good"));
        HttpProxy p = proxy(table(gone.backend(), good.backend()),
                ProxyOptions.defaults().withConnectTimeout(Duration.ofSeconds(1)).withResponseTimeout(Duration.ofSeconds(30)));
        for (int i = 0; i < 4; i++) {
            long start = System.nanoTime();
            RawHttp.Response r = get(p, "/x");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, r.status(), r.body());
            assertEquals("good", r.body());
            assertTrue(millis < 8_000, "answered long before the 30 s response timeout: " + millis + " ms");
        }
        assertEquals(1, gone.requests.get(), "the vanished backend got one request (and answered none)");
        assertEquals(4, good.hits.get());
    }

    @Test
    void aSlowBackendPassesItsChecksAndKeepsItsRequest() throws Exception {
        SlowUpstream slow = closing(new SlowUpstream(2_500));
        HttpProxy p = proxy(table(slow.backend()));
        RawHttp.Response r = get(p, "/x");
        assertEquals(200, r.status(), r.body());
        assertEquals("slow", r.body());
        assertEquals(1, slow.requests.get(), "not sent again");
        assertTrue(slow.connections.get() >= 2, "checked while it was slow: " + slow.connections.get() + " connections");
    }

    @Test
    void updateRemovesABackendBeforeNewRequestsReachIt() throws Exception {
        Upstream a = closing(new Upstream("a")), b = closing(new Upstream("b"));
        HttpProxy p = proxy(table(a.backend(), b.backend()));
        for (int i = 0; i < 4; i++) get(p, "/");
        assertEquals(2, a.hits.get());
        p.update(table(b.backend()));
        for (int i = 0; i < 20; i++) assertEquals("b", get(p, "/").body());
        assertEquals(2, a.hits.get());
    }

    @Test
    void inFlightRequestSurvivesAnUpdate() throws Exception {
        Upstream a = closing(new Upstream("a")), b = closing(new Upstream("b"));
        HttpProxy p = proxy(table(a.backend()));
        CompletableFuture<RawHttp.Response> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return get(p, "/hold");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertTrue(a.held.await(10, TimeUnit.SECONDS));
        p.update(table(b.backend()));
        assertEquals("b", get(p, "/").body());
        a.release();
        RawHttp.Response r = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertEquals("a", r.body());
    }

    @Test
    void noRouteIs404NamingHostAndPath() throws Exception {
        HttpProxy p = proxy(RoutingTable.EMPTY);
        RawHttp.Response r = RawHttp.get(p.port(), "nowhere.test", "/some/path");
        assertEquals(404, r.status());
        assertEquals("no route for host nowhere.test path /some/path\n", r.body());
    }

    @Test
    void routeWithoutReadyEndpointsIs503() throws Exception {
        HttpProxy p = proxy(table());
        RawHttp.Response r = get(p, "/");
        assertEquals(503, r.status());
        assertEquals("no ready endpoints for service shop/web:80\n", r.body());
    }

    @Test
    void aHostThatAnswersNothingHasEveryBackendOnItTriedLast() {
        HttpProxy p = closing(HttpProxy.start("127.0.0.1", 0, ProxyOptions.defaults()));
        // A connect to one pod of 10.213.0.3 timed out: its other pod is no better.
        p.markHostSilent("10.213.0.3:32001");
        assertTrue(p.isUnreachable("10.213.0.3:32001"));
        assertTrue(p.isUnreachable("10.213.0.3:32002"));
        assertTrue(!p.isUnreachable("10.213.0.2:32001"), "another host is not touched");
        // A refused connect speaks of that backend alone: its host answered.
        p.markUnreachable("10.213.0.2:32001");
        assertTrue(p.isUnreachable("10.213.0.2:32001"));
        assertTrue(!p.isUnreachable("10.213.0.2:32002"));
    }

    @Test
    void unreachableUpstreamsAre502() throws Exception {
        HttpProxy p = proxy(table(refusedBackend(), refusedBackend()));
        RawHttp.Response r = get(p, "/");
        assertEquals(502, r.status());
        assertTrue(r.body().startsWith("upstream unreachable: service shop/web:80, tried [127.0.0.1:"), r.body());
    }

    @Test
    void upstreamThatDoesNotAnswerIs504() throws Exception {
        SilentUpstream silent = closing(new SilentUpstream());
        HttpProxy p = proxy(table(silent.backend()), ProxyOptions.defaults().withResponseTimeout(Duration.ofMillis(300)));
        long start = System.nanoTime();
        RawHttp.Response r = get(p, "/");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, r.status());
        assertTrue(r.body().startsWith("upstream timed out: service shop/web:80"), r.body());
        assertTrue(millis >= 250 && millis < 5000, "took " + millis + " ms");
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        Upstream a = closing(new Upstream("a"));
        HttpProxy p = proxy(table(a.backend()), ProxyOptions.defaults().withMaxRequestBodyBytes(1024));
        RawHttp.Response big = RawHttp.send(p.port(), "POST", "shop.example.com", "/", new byte[2048]);
        assertEquals(413, big.status());
        assertEquals("request body larger than 1024 bytes\n", big.body());
        assertEquals(0, a.hits.get());
        RawHttp.Response small = RawHttp.send(p.port(), "POST", "shop.example.com", "/", new byte[1000]);
        assertEquals(200, small.status());
    }

    @Test
    void setsXForwardedHeaders() throws Exception {
        Upstream a = closing(new Upstream("a"));
        HttpProxy p = proxy(table(a.backend()));
        assertEquals(200, RawHttp.get(p.port(), "shop.example.com", "/", "X-Forwarded-For: 203.0.113.7").status());
        assertEquals("203.0.113.7,127.0.0.1", a.lastHeaders.getFirst("X-Forwarded-For"));
        assertEquals("http", a.lastHeaders.getFirst("X-Forwarded-Proto"));
        assertEquals("shop.example.com", a.lastHeaders.getFirst("X-Forwarded-Host"));
        assertEquals("shop.example.com", a.lastHeaders.getFirst("Host"));

        assertEquals(200, RawHttp.get(p.port(), "shop.example.com", "/", "X-Forwarded-Proto: https").status());
        assertEquals("127.0.0.1", a.lastHeaders.getFirst("X-Forwarded-For"));
        assertEquals("http", a.lastHeaders.getFirst("X-Forwarded-Proto"), "a client cannot claim https");
    }

    @Test
    void hopByHopHeadersAreNotForwarded() throws Exception {
        Upstream a = closing(new Upstream("a"));
        HttpProxy p = proxy(table(a.backend()));
        RawHttp.Response r = RawHttp.get(p.port(), "shop.example.com", "/",
                "Connection: close, X-Secret", "X-Secret: s", "X-Kept: k", "Keep-Alive: 300", "TE: trailers",
                "Trailer: X-T", "Proxy-Authorization: Basic eA==", "Proxy-Connection: keep-alive", "Upgrade: foo/1");
        assertEquals(200, r.status());
        for (String h : List.of("X-Secret", "Keep-Alive", "TE", "Trailer", "Proxy-Authorization", "Proxy-Connection",
                "Upgrade", "Transfer-Encoding")) {
            assertNull(a.lastHeaders.getFirst(h), h + " reached the upstream");
        }
        String connection = a.lastHeaders.getFirst("Connection");
        assertTrue(connection == null || connection.equalsIgnoreCase("keep-alive"), connection);
        assertEquals("k", a.lastHeaders.getFirst("X-Kept"));
        // and on the way back
        assertEquals("a", r.header("X-Upstream"));
        assertNull(r.header("Keep-Alive"));
        assertNull(r.header("Proxy-Authenticate"));
    }

    @Test
    void headIsProxied() throws Exception {
        Upstream a = closing(new Upstream("a"));
        HttpProxy p = proxy(table(a.backend()));
        RawHttp.Response r = RawHttp.send(p.port(), "HEAD", "shop.example.com", "/", null);
        assertEquals(200, r.status());
        assertEquals("HEAD", a.lastMethod);
    }

    /** A port on 127.0.0.1 with nothing listening: connections are refused. */
    static String refusedBackend() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    /** Accepts, reads the request, and resets the connection without answering. */
    static final class ResettingUpstream implements AutoCloseable {
        final ServerSocket socket = new ServerSocket();
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        ResettingUpstream() throws IOException {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        accepted.add(s);
                        s.getInputStream().read(new byte[4096]);
                        s.setSoLinger(true, 0); // close() now sends RST
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        String backend() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Accepts connections and never answers. */
    static final class SilentUpstream implements AutoCloseable {
        final ServerSocket socket = new ServerSocket();
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentUpstream() throws IOException {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        accepted.add(socket.accept());
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        String backend() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) s.close();
        }
    }

    /**
     * A backend whose host goes away while it holds a request: it takes one connection and
     * reads the request, then answers nothing more, and new connections are refused.
     */
    static final class VanishingUpstream implements AutoCloseable {
        final ServerSocket socket = new ServerSocket();
        final AtomicInteger requests = new AtomicInteger();
        private volatile Socket held;

        VanishingUpstream() throws IOException {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread t = new Thread(() -> {
                try {
                    held = socket.accept();
                    if (held.getInputStream().read(new byte[4096]) > 0) requests.incrementAndGet();
                    socket.close();
                } catch (IOException e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
        }

        String backend() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            if (held != null) held.close();
        }
    }

    /** Answers each request after a delay; counts connections (checks among them) and requests. */
    static final class SlowUpstream implements AutoCloseable {
        final ServerSocket socket = new ServerSocket();
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();

        SlowUpstream(long delayMillis) throws IOException {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        Thread served = new Thread(() -> {
                            try (s) {
                                if (s.getInputStream().read(new byte[4096]) <= 0) return; // a check: nothing sent
                                requests.incrementAndGet();
                                Thread.sleep(delayMillis);
                                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow"
                                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            } catch (IOException | InterruptedException e) {
                                // the proxy went away
                            }
                        });
                        served.setDaemon(true);
                        served.start();
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        String backend() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

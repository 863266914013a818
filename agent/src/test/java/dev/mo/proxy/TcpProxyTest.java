package dev.mo.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpProxyTest {
    private final TcpProxy proxy = new TcpProxy(Duration.ofSeconds(1));
    private final List<EchoUpper> upstreams = new java.util.ArrayList<>();

    @AfterEach
    void close() throws IOException {
        proxy.close();
        for (EchoUpper u : upstreams) u.close();
    }

    private EchoUpper upstream(String name) throws IOException {
        EchoUpper u = new EchoUpper(name);
        upstreams.add(u);
        return u;
    }

    @Test
    void forwardsBytesBothWaysAndPassesTheHalfCloseOn() throws Exception {
        EchoUpper up = upstream("a");
        int port = freePort("127.0.0.2");
        proxy.update(List.of(new Listener("127.0.0.2", port, "shop/db:5432", List.of(up.backend()))));
        // The upstream answers only after it has read everything: the client's shutdownOutput
        // must reach it through the proxy, and the answer must still come back.
        assertEquals("a:HELLO THROUGH THE PROXY", roundTrip("127.0.0.2", port, "hello through the proxy"));
    }

    @Test
    void roundRobinAndARefusedBackendIsSkipped() throws Exception {
        EchoUpper a = upstream("a"), b = upstream("b");
        int port = freePort("127.0.0.2");
        proxy.update(List.of(new Listener("127.0.0.2", port, "shop/db:5432",
                List.of(a.backend(), HttpProxyTest.refusedBackend(), b.backend()))));
        for (int i = 0; i < 9; i++) {
            String answer = roundTrip("127.0.0.2", port, "x");
            assertTrue(answer.equals("a:X") || answer.equals("b:X"), answer);
        }
        assertEquals(9, a.served.get() + b.served.get());
        assertTrue(a.served.get() >= 3 && b.served.get() >= 3, a.served + " / " + b.served);
    }

    @Test
    void updateClosesListenersNoLongerWantedAndKeepsTheOthers() throws Exception {
        EchoUpper a = upstream("a"), b = upstream("b");
        int p1 = freePort("127.0.0.2"), p2 = freePort("127.0.0.3");
        proxy.update(List.of(
                new Listener("127.0.0.2", p1, "shop/a:1", List.of(a.backend())),
                new Listener("127.0.0.3", p2, "shop/b:2", List.of(b.backend()))));
        assertEquals(Set.of("127.0.0.2:" + p1, "127.0.0.3:" + p2), proxy.listening());
        assertEquals("b:Y", roundTrip("127.0.0.3", p2, "y"));

        // An open connection through the first listener survives the update.
        Socket open = new Socket("127.0.0.2", p1);
        open.setSoTimeout(10_000);
        // connect() returns once the kernel has queued it; wait until the proxy has reached `a`.
        await().atMost(Duration.ofSeconds(5)).until(() -> a.accepted.get() == 1);

        proxy.update(List.of(new Listener("127.0.0.2", p1, "shop/a:1", List.of(b.backend()))));
        assertEquals(Set.of("127.0.0.2:" + p1), proxy.listening());
        assertEquals("b:Z", roundTrip("127.0.0.2", p1, "z"), "same socket, new backends");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThrows(ConnectException.class, () -> new Socket("127.0.0.3", p2).close()));

        open.getOutputStream().write("still here".getBytes(StandardCharsets.UTF_8));
        open.shutdownOutput();
        assertEquals("a:STILL HERE", new String(open.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        open.close();
    }

    @Test
    void clientIpAffinityKeepsEachClientOnOneBackendAndMovesItWhenThatOneGoes() throws Exception {
        EchoUpper a = upstream("a"), b = upstream("b"), c = upstream("c");
        int port = freePort("127.0.0.2");
        Duration threeHours = Duration.ofSeconds(10_800);
        proxy.update(List.of(new Listener("127.0.0.2", port, "shop/cart:80", List.of(a.backend(), b.backend()), threeHours)));
        for (String client : List.of("127.0.0.5", "127.0.0.6")) {
            String first = roundTripFrom(client, "127.0.0.2", port, "x");
            for (int i = 0; i < 5; i++) assertEquals(first, roundTripFrom(client, "127.0.0.2", port, "x"), client);
        }
        // Its backend leaves the Service: the client is placed afresh, then sticks to its new one.
        String before = roundTripFrom("127.0.0.5", "127.0.0.2", port, "x");
        EchoUpper kept = before.startsWith("a:") ? b : a;
        proxy.update(List.of(new Listener("127.0.0.2", port, "shop/cart:80", List.of(kept.backend(), c.backend()), threeHours)));
        String moved = roundTripFrom("127.0.0.5", "127.0.0.2", port, "x");
        assertTrue(!moved.equals(before), moved);
        for (int i = 0; i < 5; i++) assertEquals(moved, roundTripFrom("127.0.0.5", "127.0.0.2", port, "x"));
    }

    @Test
    void listenerWithoutBackendsClosesConnections() throws Exception {
        int port = freePort("127.0.0.2");
        proxy.update(List.of(new Listener("127.0.0.2", port, "shop/none:1", List.of())));
        try (Socket s = new Socket("127.0.0.2", port)) {
            s.setSoTimeout(10_000);
            assertEquals(-1, s.getInputStream().read());
        }
    }

    private static String roundTrip(String host, int port, String text) throws IOException {
        return roundTripFrom("127.0.0.1", host, port, text);
    }

    /** {@link #roundTrip} from a given local address: another client, as the Service sees it. */
    private static String roundTripFrom(String clientAddress, String host, int port, String text) throws IOException {
        try (Socket s = new Socket(host, port, java.net.InetAddress.getByName(clientAddress), 0)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(address, 0));
            return s.getLocalPort();
        }
    }

    /** Reads until the client's half-close, answers "name:" + the text in upper case, closes. */
    static final class EchoUpper implements AutoCloseable {
        final ServerSocket socket = new ServerSocket();
        final AtomicInteger served = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();

        EchoUpper(String name) throws IOException {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        accepted.incrementAndGet();
                        Thread worker = new Thread(() -> {
                            try (s) {
                                s.setSoTimeout(10_000);
                                String in = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                                s.getOutputStream().write((name + ":" + in.toUpperCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
                                served.incrementAndGet();
                            } catch (IOException e) {
                                // client gone
                            }
                        });
                        worker.setDaemon(true);
                        worker.start();
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

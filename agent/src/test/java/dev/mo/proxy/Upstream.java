package dev.mo.proxy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP upstream on 127.0.0.1 (the JDK's server): answers with its name, remembers what
 * it received. Path {@code /hold} waits (at most 10 s) until {@link #release} is called.
 */
final class Upstream implements AutoCloseable {
    final String name;
    final AtomicInteger hits = new AtomicInteger();
    final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    volatile Headers lastHeaders;
    volatile String lastMethod;
    final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    Upstream(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            hits.incrementAndGet();
            clientPorts.add(ex.getRemoteAddress().getPort());
            lastHeaders = ex.getRequestHeaders();
            lastMethod = ex.getRequestMethod();
            ex.getRequestBody().readAllBytes();
            if (ex.getRequestURI().getPath().startsWith("/hold")) {
                held.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("X-Upstream", name);
            ex.getResponseHeaders().add("Keep-Alive", "timeout=5");
            ex.getResponseHeaders().add("Proxy-Authenticate", "Basic realm=upstream");
            ex.sendResponseHeaders(200, "HEAD".equals(ex.getRequestMethod()) ? -1 : body.length);
            if (!"HEAD".equals(ex.getRequestMethod())) ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    String backend() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void release() {
        release.countDown();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}

package dev.mo.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Steady GETs to one URL on loopback from a background thread, bounded in count and time,
 * counting what failed and which pod answered each request.
 */
final class Load implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;
    private final int maxRequests;
    private final long deadlineNanos;
    private final Thread thread;
    private volatile boolean running = true;
    final AtomicInteger ok = new AtomicInteger();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final Map<String, Integer> answeredBy = new ConcurrentHashMap<>();

    Load(String url, int maxRequests, Duration maxTime) {
        this.uri = URI.create(url);
        this.maxRequests = maxRequests;
        this.deadlineNanos = System.nanoTime() + maxTime.toNanos();
        this.thread = new Thread(this::run, "load");
    }

    Load start() {
        thread.start();
        return this;
    }

    private void run() {
        for (int i = 0; i < maxRequests && running && System.nanoTime() < deadlineNanos; i++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    ok.incrementAndGet();
                    answeredBy.merge(pod(r.body()), 1, Integer::sum);
                } else {
                    failures.add("HTTP " + r.statusCode() + ": " + r.body().strip());
                }
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures.add(e.toString());
            }
        }
    }

    /** One GET, as a user's browser would send it. */
    static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** "hello from web-abc-x (v1)" → "web-abc-x". */
    static String pod(String body) {
        String[] words = body.strip().split(" ");
        return words.length >= 3 ? words[2] : body.strip();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}

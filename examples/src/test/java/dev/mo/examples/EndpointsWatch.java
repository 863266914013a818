package dev.mo.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

/**
 * Follows one Service's Endpoints through the API's long poll (the one the agents use): the
 * fewest ready addresses seen, and when one pod left the ready addresses and came back.
 */
final class EndpointsWatch implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final MoProcess mo;
    private final String pod;
    private final String service;
    private final Thread thread = new Thread(this::run, "endpoints-watch");
    private volatile boolean running = true;
    volatile long removedAt, readmittedAt;
    volatile int minReady = Integer.MAX_VALUE;

    /** @param pod a pod whose leaving and coming back is timed, or "" for none */
    EndpointsWatch(MoProcess mo, String pod, String service) {
        this.mo = mo;
        this.pod = pod;
        this.service = service;
    }

    EndpointsWatch start() {
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run() {
        long revision = -1;
        try {
            String token = Files.readString(mo.stateDir.resolve("token")).trim();
            while (running) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mo.port
                                + "/api/node/routing?since=" + revision + "&waitSeconds=5"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                long now = System.nanoTime();
                JsonNode body = JSON.readTree(r.body());
                revision = body.path("revision").asLong();
                boolean podReady = false;
                int ready = 0;
                for (JsonNode ep : body.path("endpoints")) {
                    if (!service.equals(ep.at("/metadata/name").asText())) continue;
                    for (JsonNode subset : ep.path("subsets")) {
                        for (JsonNode a : subset.path("addresses")) {
                            ready++;
                            podReady |= pod.equals(a.at("/targetRef/name").asText());
                        }
                    }
                }
                minReady = Math.min(minReady, ready);
                if (pod.isEmpty()) continue;
                if (!podReady && removedAt == 0) removedAt = now;
                if (podReady && removedAt != 0 && readmittedAt == 0) readmittedAt = now;
            }
        } catch (Exception e) {
            if (running) e.printStackTrace();
        }
    }

    @Override
    public void close() {
        running = false;
    }
}

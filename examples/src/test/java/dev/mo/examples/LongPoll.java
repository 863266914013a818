package dev.mo.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.function.Consumer;

/**
 * Follows one of the API's long polls (the ones the agents use, {@code /api/node/...}) on a
 * daemon thread, as an agent does, and hands every answer to a consumer. Each answer is one
 * consistent view of the store, so a test sees every state the store went through that the
 * poll caught.
 */
final class LongPoll implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MoProcess mo;
    private final String path;
    private final Consumer<JsonNode> onAnswer;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param path e.g. {@code /api/node/routing}; {@code since} and {@code waitSeconds} are added */
    LongPoll(MoProcess mo, String path, Consumer<JsonNode> onAnswer) {
        this.mo = mo;
        this.path = path;
        this.onAnswer = onAnswer;
        this.thread = new Thread(this::run, "long-poll " + path);
        thread.setDaemon(true);
    }

    LongPoll start() {
        thread.start();
        return this;
    }

    private void run() {
        long revision = -1;
        try {
            String token = Files.readString(mo.stateDir.resolve("token")).trim();
            HttpClient http = mo.apiClient();
            while (running) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mo.url()
                                + path + "?since=" + revision + "&waitSeconds=5"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = JSON.readTree(r.body());
                revision = body.path("revision").asLong();
                onAnswer.accept(body);
            }
        } catch (Exception e) {
            if (running) e.printStackTrace();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt(); // ends a poll that is waiting for an answer
    }
}

package dev.mo.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.mo.model.Json;
import dev.mo.runtime.ContainerRuntime;
import dev.mo.runtime.DockerRuntime;
import dev.mo.runtime.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful termination on the real engine: a busybox httpd pod with an exec preStop hook is deleted
 * while a slow request (a CGI script that sleeps 2 s) is in flight. The hook runs in the container,
 * the request completes with 200, and the container is removed.
 */
class DockerGracefulTest {
    private static final String NODE = "mo-graceful-" + UUID.randomUUID().toString().substring(0, 8);
    private static DockerClient docker;
    private static DockerRuntime runtime;

    /** A CGI script that answers after 2 s; a watcher that prints what the preStop hook wrote. */
    private static final String SERVE = "mkdir -p /tmp /www/cgi-bin" // the image, FROM scratch, has no /tmp
            + " && printf '#!/bin/sh\\nsleep 2\\necho Content-Type: text/plain\\necho\\necho slow ok\\n' > /www/cgi-bin/slow"
            + " && chmod +x /www/cgi-bin/slow"
            + " && (while [ ! -f /tmp/bye ]; do sleep 0.1; done; echo \"preStop wrote: $(cat /tmp/bye)\") &"
            + " exec httpd -f -p 8080 -h /www";

    @BeforeAll
    static void buildImage() throws Exception {
        docker = TestImages.client();
        TestImages.buildHttpd(docker);
        runtime = DockerRuntime.connect(null);
    }

    @AfterAll
    static void removeContainers() throws Exception {
        TestImages.removeAll(docker, Labels.NODE, NODE);
        runtime.close();
        docker.close();
    }

    private static List<Container> containers(String uid) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.POD_UID, uid)).exec();
    }

    private static String logs(String id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            runtime.logs(id, ContainerRuntime.LogOptions.all(), out);
        } catch (Exception e) {
            return "";
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void preStopHookRunsAndInFlightRequestFinishesBeforeTheContainerIsRemoved() throws Exception {
        FakeNodeApi api = new FakeNodeApi();
        String uid = UUID.randomUUID().toString();
        ObjectNode pod = TestPods.pod("graceful", uid, NODE, TestImages.HTTPD);
        ((ObjectNode) pod.get("spec")).put("terminationGracePeriodSeconds", 4);
        ObjectNode web = TestPods.container(pod, 0);
        web.putArray("command").add("sh").add("-c").add(SERVE);
        web.set("lifecycle", Json.parse("{\"preStop\":{\"exec\":{\"command\":[\"sh\",\"-c\",\"echo bye > /tmp/bye; sleep 1\"]}}}"));
        api.put(pod);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        try (AgentProcess agent = AgentProcess.start(AgentConfig.of(NODE, "127.0.0.1", "t"), api)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> api.hostPorts.get(uid) != null
                    && api.status(uid) != null && "Running".equals(api.status(uid).path("phase").asText()));
            String base = "http://" + api.hostPorts.get(uid).get("8080/TCP");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> http.send(
                    HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            String id = containers(uid).get(0).getId();

            // A request that takes 2 s, started just before the delete.
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/cgi-bin/slow")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            long deletedAt = System.nanoTime();
            api.put(TestPods.deleting(api.pods.get(uid)));
            agent.agent().wake();

            // The hook ran in the container (the watcher there prints what it wrote) before the stop.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> logs(id).contains("preStop wrote: bye"));

            HttpResponse<String> answer = slow.get();
            assertEquals(200, answer.statusCode(), "the in-flight request finishes during the grace period");
            assertEquals("slow ok", answer.body().strip());

            await().atMost(Duration.ofSeconds(15)).until(() -> api.terminated.contains(uid));
            long tookMs = (System.nanoTime() - deletedAt) / 1_000_000;
            assertEquals(List.of(), containers(uid), "the container is removed");
            assertTrue(api.events.contains("Killing: Stopping container web"), api.events::toString);
            assertTrue(api.events.stream().noneMatch(e -> e.startsWith("FailedPreStopHook")), api.events::toString);
            // hook 1 s + SIGTERM ignored by httpd (pid 1) until SIGKILL after the 3 s left of 4 s
            assertTrue(tookMs >= 3500 && tookMs < 10_000, "terminated after " + tookMs + " ms");
        }
    }
}

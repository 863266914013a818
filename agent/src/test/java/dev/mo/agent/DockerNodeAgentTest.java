package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.mo.runtime.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole agent ({@link AgentProcess}: Docker runtime, loop, HTTP endpoint) on the real engine,
 * one pod's life: runs and serves HTTP, heals after {@code docker rm -f}, is adopted by a new
 * agent, shows its logs, and is removed when deleted.
 */
class DockerNodeAgentTest {
    private static final String NODE = "mo-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String TOKEN = "s3cret";
    private static DockerClient docker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void buildImage() throws Exception {
        docker = TestImages.client();
        TestImages.buildHttpd(docker);
    }

    @AfterAll
    static void removeContainers() throws Exception {
        TestImages.removeAll(docker, Labels.NODE, NODE); // every container the agents made on this test node
        docker.close();
    }

    private List<Container> podContainers(String uid) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.POD_UID, uid)).exec();
    }

    private String get(String url, String token) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (token != null) req.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void podLifecycleOnDocker() throws Exception {
        FakeNodeApi api = new FakeNodeApi();
        String uid = UUID.randomUUID().toString();
        ObjectNode pod = TestPods.pod("web-7d4b9c-x2k4q", uid, NODE, TestImages.HTTPD);
        ObjectNode web = TestPods.container(pod, 0);
        web.putArray("command").add("sh").add("-c");
        web.putArray("args").add("echo greeting $(GREETING) from $HOSTNAME; exec httpd -f -p 8080 -h /www");
        web.putArray("env").addObject().put("name", "GREETING").put("value", "hi");
        api.put(pod);
        AgentConfig config = AgentConfig.of(NODE, "127.0.0.1", TOKEN);

        String firstId;
        try (AgentProcess agent = AgentProcess.start(config, api)) {
            // Runs, and its port answers on 127.0.0.1:<port Docker chose>.
            await().atMost(Duration.ofSeconds(15)).until(() -> api.status(uid) != null
                    && "Running".equals(api.status(uid).path("phase").asText()));
            String hostPort = api.hostPorts.get(uid).get("8080/TCP");
            assertTrue(hostPort.matches("127\\.0\\.0\\.1:\\d+"), hostPort);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertEquals("200 hello from mo\n", get("http://" + hostPort + "/", null)));
            JsonNode status = api.status(uid);
            assertEquals("127.0.0.1", status.path("hostIP").asText());
            assertTrue(status.path("podIP").asText().matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), status.toString());
            assertEquals(agent.url(), api.heartbeats.get(0).path("metadata").path("annotations").path("mo.dev/agent-url").asText());
            firstId = podContainers(uid).get(0).getId();

            // Logs through the agent's endpoint, with and without the token.
            String logs = agent.url() + "/logs?namespace=default&pod=web-7d4b9c-x2k4q&container=web";
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertEquals("200 greeting hi from web-7d4b9c-x2k4q\n", get(logs, TOKEN)));
            assertTrue(get(logs, null).startsWith("401"));
            assertTrue(get(logs, "wrong").startsWith("401"));
            assertTrue(get(agent.url() + "/logs?namespace=default&pod=nope", TOKEN).startsWith("404"));

            // docker rm -f: a new container runs, restart count 1, within 2 s (no back-off for a vanished container).
            long removedAt = System.nanoTime();
            docker.removeContainerCmd(firstId).withForce(true).exec();
            await().atMost(Duration.ofSeconds(3)).until(() -> podContainers(uid).stream()
                    .anyMatch(c -> "running".equals(c.getState()) && !c.getId().equals(firstId)));
            long healedMillis = (System.nanoTime() - removedAt) / 1_000_000;
            assertTrue(healedMillis < 2000, "healed in " + healedMillis + " ms");
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    api.status(uid).path("containerStatuses").get(0).path("restartCount").asInt() == 1
                            && "Running".equals(api.status(uid).path("phase").asText()));
            assertEquals("1", podContainers(uid).get(0).getLabels().get(Labels.RESTART_COUNT));
        }

        // A new agent adopts the running container: same id, nothing restarted.
        String adopted = podContainers(uid).get(0).getId();
        assertNotEquals(firstId, adopted);
        int reportsBefore = api.reports.size();
        try (AgentProcess agent = AgentProcess.start(config, api)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> api.reports.size() > reportsBefore);
            assertEquals(List.of(adopted), podContainers(uid).stream().map(Container::getId).toList());
            assertEquals(1, api.status(uid).path("containerStatuses").get(0).path("restartCount").asInt());
            assertEquals("docker://" + adopted, api.status(uid).path("containerStatuses").get(0).path("containerID").asText());

            // Deleting the pod stops and removes its container, then reports it terminated.
            api.put(TestPods.deleting(api.pods.get(uid)));
            await().atMost(Duration.ofSeconds(10)).until(() -> api.terminated.contains(uid));
            assertEquals(List.of(), podContainers(uid));
            assertTrue(api.events.contains("Killing: Stopping container web"), api.events.toString());
        }
    }
}

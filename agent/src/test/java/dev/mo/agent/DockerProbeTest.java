package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.mo.model.Json;
import dev.mo.runtime.DockerRuntime;
import dev.mo.runtime.ExecResult;
import dev.mo.runtime.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Probes on the real engine: busybox httpd containers whose {@code /healthz} (a file) or
 * {@code /www/ready} is removed and restored with {@code docker exec}. Periods are 1 s; the
 * assertions allow generous time.
 */
class DockerProbeTest {
    private static final String NODE = "mo-probe-" + UUID.randomUUID().toString().substring(0, 8);
    /** Writes /www/healthz, then serves /www on 8080: each new container starts healthy. */
    private static final String SERVE = "echo ok > /www/healthz; exec httpd -f -p 8080 -h /www";
    private static DockerClient docker;
    private static DockerRuntime runtime;

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

    private static ObjectNode pod(String name, String uid, String probes) {
        ObjectNode pod = TestPods.pod(name, uid, NODE, TestImages.HTTPD);
        ObjectNode web = TestPods.container(pod, 0);
        web.putArray("command").add("sh").add("-c").add(SERVE);
        Json.parse(probes).fields().forEachRemaining(f -> web.set(f.getKey(), f.getValue()));
        return pod;
    }

    private static JsonNode web(FakeNodeApi api, String uid) {
        ObjectNode status = api.status(uid);
        return status == null ? Json.object() : status.path("containerStatuses").get(0);
    }

    private static boolean ready(FakeNodeApi api, String uid) {
        return web(api, uid).path("ready").asBoolean();
    }

    private static String running(String uid) {
        List<Container> cs = docker.listContainersCmd().withLabelFilter(Map.of(Labels.POD_UID, uid)).exec();
        assertEquals(1, cs.size(), "one running container");
        return cs.get(0).getId();
    }

    private static void exec(String uid, String... command) {
        ExecResult r = runtime.exec(running(uid), List.of(command), Duration.ofSeconds(5));
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void probesOnDocker() {
        FakeNodeApi api = new FakeNodeApi();
        String live = UUID.randomUUID().toString(), ready = UUID.randomUUID().toString(),
                execReady = UUID.randomUUID().toString(), deadPort = UUID.randomUUID().toString();
        api.put(pod("live", live, """
                {"livenessProbe":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":1,"failureThreshold":2},
                 "readinessProbe":{"tcpSocket":{"port":"http"},"periodSeconds":1}}"""));
        api.put(pod("ready", ready, """
                {"readinessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":1,"failureThreshold":2},
                 "livenessProbe":{"exec":{"command":["cat","/www/index.html"]},"periodSeconds":1}}"""));
        api.put(pod("exec-ready", execReady, """
                {"readinessProbe":{"exec":{"command":["cat","/www/ready"]},"periodSeconds":1,"failureThreshold":1},
                 "livenessProbe":{"tcpSocket":{"port":8080},"periodSeconds":1}}"""));
        api.put(pod("dead-port", deadPort, """
                {"livenessProbe":{"tcpSocket":{"port":9999},"periodSeconds":1,"failureThreshold":1}}"""));

        try (AgentProcess agent = AgentProcess.start(AgentConfig.of(NODE, "127.0.0.1", "t"), api)) {
            // Readiness: httpGet and tcpSocket pass once the containers serve.
            await().atMost(Duration.ofSeconds(20)).until(() -> ready(api, ready) && ready(api, live));
            assertEquals("True", api.status(ready).path("conditions").get(1).path("status").asText());

            // ... removing /healthz makes the pod not ready within period x threshold (2 s) plus a little; restoring makes it ready.
            exec(ready, "rm", "/www/healthz");
            long removedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> !ready(api, ready));
            long millis = (System.nanoTime() - removedAt) / 1_000_000;
            assertTrue(millis < 4000, "not ready after " + millis + " ms");
            assertEquals("False", api.status(ready).path("conditions").get(1).path("status").asText());
            assertTrue(api.events.contains("Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 404"), api.events.toString());
            exec(ready, "sh", "-c", "echo ok > /www/healthz");
            await().atMost(Duration.ofSeconds(5)).until(() -> ready(api, ready));
            assertEquals(0, web(api, ready).path("restartCount").asInt(), "readiness never restarts; the exec liveness probe passes");

            // An exec readiness probe: fails with cat's output until the file exists.
            await().atMost(Duration.ofSeconds(10)).until(() -> api.events.contains(
                    "Unhealthy: Readiness probe failed: cat: can't open '/www/ready': No such file or directory"));
            assertTrue(!ready(api, execReady) && web(api, execReady).path("started").asBoolean());
            exec(execReady, "touch", "/www/ready");
            await().atMost(Duration.ofSeconds(5)).until(() -> ready(api, execReady));

            // Liveness: removing /healthz gets the container killed and restarted; the new one writes it again.
            String first = running(live);
            exec(live, "rm", "/www/healthz");
            await().atMost(Duration.ofSeconds(20)).until(() -> web(api, live).path("restartCount").asInt() == 1
                    && web(api, live).path("state").has("running"));
            assertTrue(api.events.contains("Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 404"), api.events.toString());
            assertTrue(api.events.contains("Killing: Container web failed liveness probe, will be restarted"), api.events.toString());
            assertTrue(!running(live).equals(first));
            await().atMost(Duration.ofSeconds(10)).until(() -> ready(api, live));

            // A tcpSocket liveness probe on a port nobody listens on: refused, killed, restarted.
            await().atMost(Duration.ofSeconds(20)).until(() -> web(api, deadPort).path("restartCount").asInt() >= 1);
            assertTrue(api.events.stream().anyMatch(e -> e.matches(
                    "Unhealthy: Liveness probe failed: dial tcp \\d+\\.\\d+\\.\\d+\\.\\d+:9999: connect: connection refused")), api.events.toString());
            assertEquals(0, web(api, execReady).path("restartCount").asInt(), "the passing tcpSocket liveness probe kept it running");
        }
    }

    @Test
    void execOnTheEngine() {
        String id = runtime.createAndStart(new dev.mo.runtime.ContainerSpec("mo-probe-exec-" + NODE, TestImages.HTTPD, null, null,
                null, null, null, Map.of(Labels.NODE, NODE), null, "127.0.0.1", null));
        ExecResult r = runtime.exec(id, List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(5));
        assertEquals(3, r.exitCode());
        assertTrue(r.output().contains("out\n") && r.output().contains("err\n"), r.output());
        long start = System.nanoTime();
        assertTrue(runtime.exec(id, List.of("sleep", "5"), Duration.ofSeconds(1)).timedOut());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 4000, "gave up at the timeout");
        runtime.stop(id, 0);
        org.junit.jupiter.api.Assertions.assertThrows(dev.mo.runtime.RuntimeOperationException.class,
                () -> runtime.exec(id, List.of("true"), Duration.ofSeconds(1)), "not running");
        runtime.remove(id);
    }
}

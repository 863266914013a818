package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.mo.model.Json;
import dev.mo.runtime.DockerRuntime;
import dev.mo.runtime.ExecResult;
import dev.mo.runtime.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Volumes and resource limits on the real engine: configMap files and modes, a shared emptyDir, a PVC that outlives its pod, OOMKilled. */
class DockerVolumesTest {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String NODE = "mo-test-vol-" + RUN;
    private static final String NS = "t" + RUN;
    private static DockerClient docker;
    private static DockerRuntime runtime;
    @TempDir static Path dataDir;

    @BeforeAll
    static void setUp() throws Exception {
        docker = TestImages.client();
        TestImages.buildHttpd(docker);
        runtime = DockerRuntime.connect(null);
    }

    @AfterAll
    static void tearDown() throws Exception {
        TestImages.removeAll(docker, Labels.NODE, NODE);
        try {
            docker.removeVolumeCmd(PodVolumes.pvcVolumeName(NS, "data")).exec();
        } catch (NotFoundException gone) {
            // never created
        }
        runtime.close();
        docker.close();
    }

    private static ObjectNode pod(String name, String uid, String volumes) {
        ObjectNode pod = TestPods.pod(name, uid, NODE, TestImages.HTTPD);
        ((ObjectNode) pod.get("metadata")).put("namespace", NS);
        ((ObjectNode) pod.get("spec")).set("volumes", arr(volumes));
        ((ArrayNode) pod.get("spec").get("containers")).removeAll();
        return pod;
    }

    private static ObjectNode container(ObjectNode pod, String name, String script, String mounts) {
        ObjectNode c = ((ArrayNode) pod.get("spec").get("containers")).addObject();
        c.put("name", name).put("image", TestImages.HTTPD);
        c.putArray("command").add("sh").add("-c").add(script);
        c.set("volumeMounts", arr(mounts));
        return c;
    }

    private static JsonNode arr(String json) { return Json.parse("{\"v\":" + json + "}").get("v"); }

    private static String containerId(String uid, String name) {
        await().atMost(Duration.ofSeconds(15)).until(() -> running(uid, name) != null);
        return running(uid, name).getId();
    }

    private static Container running(String uid, String name) {
        return docker.listContainersCmd().withLabelFilter(Map.of(Labels.POD_UID, uid, Labels.CONTAINER, name)).exec()
                .stream().findFirst().orElse(null);
    }

    private static String exec(String id, String script) {
        ExecResult r = runtime.exec(id, List.of("sh", "-c", script), Duration.ofSeconds(10));
        assertEquals(0, r.exitCode(), r.output());
        return r.output();
    }

    private static void delete(FakeNodeApi api, String uid) {
        api.put(TestPods.deleting(api.pods.get(uid)));
        await().atMost(Duration.ofSeconds(20)).until(() -> api.terminated.contains(uid));
    }

    @Test
    void configMapFilesEmptyDirSharedAndPvcSurvivesThePod() throws Exception {
        FakeNodeApi api = new FakeNodeApi();
        api.putConfig("configmaps", NS, "app", Map.of("app.conf", "port=8080\n", "other", "x"));
        AgentConfig config = AgentConfig.builder(NODE).token("t").dataDir(dataDir).build();
        try (AgentProcess agent = AgentProcess.start(config, api)) {
            String uid = "uid-a-" + RUN;
            ObjectNode pod = pod("app-0", uid, """
                    [{"name":"conf","configMap":{"name":"app","defaultMode":288,"items":[{"key":"app.conf","path":"app.conf"}]}},
                     {"name":"shared","emptyDir":{}},{"name":"data","persistentVolumeClaim":{"claimName":"data"}}]""");
            container(pod, "writer", "echo from-writer > /shared/x; mkdir -p /data/sub; echo persisted > /data/sub/f; exec sleep 300", """
                    [{"name":"conf","mountPath":"/etc/app"},{"name":"shared","mountPath":"/shared"},{"name":"data","mountPath":"/data"}]""");
            container(pod, "reader", "exec sleep 300", """
                    [{"name":"shared","mountPath":"/in","readOnly":true},{"name":"conf","mountPath":"/app.conf","subPath":"app.conf"}]""");
            api.put(pod);
            String writer = containerId(uid, "writer");
            String reader = containerId(uid, "reader");

            // configMap: the item's file only, its content, mode 0440 (defaultMode 288), read-only.
            assertEquals("app.conf\n", exec(writer, "ls /etc/app"));
            assertEquals("port=8080\n", exec(writer, "cat /etc/app/app.conf"));
            assertEquals("440\n", exec(writer, "stat -L -c %a /etc/app/app.conf"));
            assertFalse(runtime.exec(writer, List.of("sh", "-c", "echo no > /etc/app/new"), Duration.ofSeconds(5)).exitCode() == 0);
            assertEquals("port=8080\n", exec(reader, "cat /app.conf")); // subPath: one file
            // emptyDir: what one container writes, the other reads; readOnly honoured.
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.exec(reader, List.of("cat", "/in/x"), Duration.ofSeconds(5)).output().equals("from-writer\n"));
            assertFalse(runtime.exec(reader, List.of("sh", "-c", "echo no > /in/y"), Duration.ofSeconds(5)).exitCode() == 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> runtime.exec(writer, List.of("cat", "/data/sub/f"), Duration.ofSeconds(5)).output().equals("persisted\n"));
            Path podDir = PodVolumes.podDir(dataDir, uid);
            assertTrue(Files.isDirectory(podDir));

            delete(api, uid);
            assertFalse(Files.exists(podDir), "emptyDir and configMap files go with the pod");

            // A new pod on the same claim sees the file, here through a subPath mount, read-only.
            String uid2 = "uid-b-" + RUN;
            ObjectNode again = pod("app-0", uid2, "[{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":\"data\"}}]");
            container(again, "db", "exec sleep 300", "[{\"name\":\"data\",\"mountPath\":\"/d\",\"subPath\":\"sub\",\"readOnly\":true}]");
            api.put(again);
            String db = containerId(uid2, "db");
            assertEquals("persisted\n", exec(db, "cat /d/f"));
            assertFalse(runtime.exec(db, List.of("sh", "-c", "echo no > /d/g"), Duration.ofSeconds(5)).exitCode() == 0);
            delete(api, uid2);
        }
        // The named volume outlives both pods.
        assertEquals("true", docker.inspectVolumeCmd(PodVolumes.pvcVolumeName(NS, "data")).exec().getLabels().get("mo.managed"));
    }

    @Test
    void resourcesReachDockerAndAContainerOverItsMemoryLimitIsOomKilled() {
        FakeNodeApi api = new FakeNodeApi();
        AgentConfig config = AgentConfig.builder(NODE).token("t").dataDir(dataDir).build();
        try (AgentProcess agent = AgentProcess.start(config, api)) {
            String uid = "uid-oom-" + RUN;
            ObjectNode pod = pod("hog", uid, "[]");
            TestPods.withRestartPolicy(pod, "Never");
            ObjectNode hog = container(pod, "hog", "sleep 2; x=$(head -c 20000000 /dev/zero | tr '\\0' a); sleep 300", "[]");
            hog.set("resources", Json.parse("{\"requests\":{\"cpu\":\"100m\"},\"limits\":{\"cpu\":\"500m\",\"memory\":\"8Mi\"}}"));
            api.put(pod);
            String id = containerId(uid, "hog");
            var host = docker.inspectContainerCmd(id).exec().getHostConfig();
            assertEquals(102, host.getCpuShares());
            assertEquals(100_000L, host.getCpuPeriod());
            assertEquals(50_000L, host.getCpuQuota());
            assertEquals(8_388_608L, host.getMemory());
            assertEquals(8_388_608L, host.getMemorySwap());

            await().atMost(Duration.ofSeconds(20)).until(() -> api.status(uid) != null
                    && api.status(uid).path("containerStatuses").get(0).path("state").has("terminated"));
            JsonNode terminated = api.status(uid).path("containerStatuses").get(0).path("state").path("terminated");
            assertEquals("OOMKilled", terminated.path("reason").asText(), api.status(uid).toString());
            assertEquals(137, terminated.path("exitCode").asInt());
            assertEquals("Failed", api.status(uid).path("phase").asText());
            delete(api, uid);
        }
    }
}

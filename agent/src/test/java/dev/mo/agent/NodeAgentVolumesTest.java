package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.runtime.ContainerInfo;
import dev.mo.runtime.ContainerSpec;
import dev.mo.runtime.ContainerSpec.Mount;
import dev.mo.runtime.FakeRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent over the in-memory runtime: the mounts and resources each container is created with. */
class NodeAgentVolumesTest {
    private static final String NODE = "n1";
    @TempDir Path dataDir;
    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final FakeNodeApi api = new FakeNodeApi();
    private final FakeRuntime runtime = new FakeRuntime(clock);
    private NodeAgent agent;
    private final String uid = "uid-vol-1";

    private ObjectNode pod() {
        ObjectNode pod = TestPods.pod("db-0", uid, NODE, "busybox:1");
        ((ObjectNode) pod.get("spec")).set("volumes", arr("""
                [{"name":"scratch","emptyDir":{}},{"name":"conf","configMap":{"name":"db-config"}},
                 {"name":"data","persistentVolumeClaim":{"claimName":"data-db-0"}}]"""));
        ObjectNode web = TestPods.container(pod, 0);
        web.set("volumeMounts", arr("""
                [{"name":"scratch","mountPath":"/tmp/shared"},{"name":"conf","mountPath":"/etc/db"},
                 {"name":"data","mountPath":"/var/lib/db","subPath":"pg"}]"""));
        web.set("resources", Json.parse("{\"requests\":{\"cpu\":\"100m\"},\"limits\":{\"cpu\":\"2\",\"memory\":\"128Mi\"}}"));
        ObjectNode sidecar = ((com.fasterxml.jackson.databind.node.ArrayNode) pod.get("spec").get("containers")).addObject();
        sidecar.put("name", "side").put("image", "busybox:1");
        sidecar.set("volumeMounts", arr("[{\"name\":\"scratch\",\"mountPath\":\"/in\",\"readOnly\":true}]"));
        return pod;
    }

    private static JsonNode arr(String json) { return Json.parse("{\"v\":" + json + "}").get("v"); }

    private void sync() {
        if (agent == null) {
            agent = new NodeAgent(AgentConfig.builder(NODE).token("t").clock(clock).dataDir(dataDir).build(),
                    api, runtime, null, Runnable::run, "http://127.0.0.1:1");
        }
        agent.pollPods(Duration.ZERO);
        agent.syncOnce();
        agent.syncOnce();
    }

    @AfterEach
    void close() { if (agent != null) agent.close(); }

    private ContainerSpec spec(String container) {
        ContainerInfo c = runtime.list(Labels.managedOn(NODE)).stream()
                .filter(i -> container.equals(i.label(Labels.CONTAINER))).findFirst().orElseThrow();
        return runtime.spec(c.id());
    }

    private JsonNode status(int i) { return api.status(uid).path("containerStatuses").get(i); }

    @Test
    void containersGetTheirMountsAndResources() throws Exception {
        api.putConfig("configmaps", "default", "db-config", Map.of("db.conf", "max_connections=10\n"));
        api.put(pod());
        sync();
        Path podDir = dataDir.resolve("pods").resolve(uid).toAbsolutePath();
        assertEquals(List.of(
                new Mount(podDir + "/volumes/scratch", "/tmp/shared", false),
                new Mount(podDir + "/volumes/conf", "/etc/db", true),
                Mount.volume("mo-pvc-default-data-db-0", "pg", "/var/lib/db", false)), spec("web").mounts());
        assertEquals(List.of(new Mount(podDir + "/volumes/scratch", "/in", true)), spec("side").mounts()); // the same directory
        assertEquals(new ContainerSpec.Resources(102L, 100_000L, 200_000L, 134_217_728L), spec("web").resources());
        assertEquals(new ContainerSpec.Resources(2L, null, null, null), spec("side").resources());
        assertEquals("max_connections=10\n", Files.readString(podDir.resolve("volumes/conf/db.conf")));

        api.put(TestPods.deleting(api.pods.get(uid)));
        sync();
        assertEquals(List.of(uid), api.terminated);
        assertFalse(Files.exists(podDir), "the pod's emptyDir and configMap files are removed with it");
    }

    @Test
    void volumeDirectoriesOfPodsThatAreGoneAreRemoved() throws Exception {
        Path stale = dataDir.resolve("pods/uid-gone/volumes/scratch");
        Files.createDirectories(stale);
        api.putConfig("configmaps", "default", "db-config", Map.of("db.conf", "x"));
        api.put(pod());
        sync();
        assertFalse(Files.exists(dataDir.resolve("pods/uid-gone")));
        assertTrue(Files.exists(dataDir.resolve("pods").resolve(uid)));
    }

    @Test
    void missingConfigMapOfAVolumeWaitsWithCreateContainerConfigError() {
        api.put(pod());
        sync();
        assertTrue(runtime.list(Labels.managedOn(NODE)).isEmpty());
        assertEquals("CreateContainerConfigError", status(0).path("state").path("waiting").path("reason").asText());
        assertEquals("configmap \"db-config\" not found", status(0).path("state").path("waiting").path("message").asText());

        api.putConfig("configmaps", "default", "db-config", Map.of("db.conf", "x"));
        sync();
        assertEquals(2, runtime.list(Labels.managedOn(NODE)).size());
    }
}

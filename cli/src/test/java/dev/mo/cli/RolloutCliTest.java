package dev.mo.cli;

import dev.mo.cli.LocalControlPlane.Run;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.MoClient;
import dev.mo.controlplane.ApiError;
import dev.mo.controlplane.ControlPlane;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.model.Times;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * scale, set image and rollout against a real control plane (HTTP, store on disk, the
 * controllers running) without an agent: pods are made ready by reporting their status
 * as an agent would.
 */
class RolloutCliTest {
    @TempDir
    Path dir;
    LocalControlPlane local;
    ControlPlane cp;
    String server;

    @BeforeEach
    void start() throws Exception {
        local = LocalControlPlane.start(dir);
        cp = local.cp;
        server = local.server;
        Path file = dir.resolve("web.yaml");
        Files.writeString(file, WEB);
        Run r = mo("apply", "-f", file.toString());
        assertEquals(0, r.exit(), r.err());
        // Let the controllers finish their writes (ReplicaSet, pods, status), so that a test's own
        // read-then-write is not overtaken by them.
        await().atMost(Duration.ofSeconds(10)).until(() -> pods().size() == 2
                && Json.integer(deployment(), "status.replicas", 0) == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String version = Json.text(deployment(), "metadata.resourceVersion");
            Thread.sleep(300);
            return version.equals(Json.text(deployment(), "metadata.resourceVersion"));
        });
    }

    @AfterEach
    void stop() { local.close(); }


    Run mo(String... args) { return local.mo(args); }

    static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: web
                      image: hello:v1
            """;

    ObjectNode deployment() { return cp.objects().require(Kind.DEPLOYMENT, "default", "web"); }

    String image() { return deployment().at("/spec/template/spec/containers/0/image").asText(); }

    List<ObjectNode> replicaSets() { return cp.objects().list(Kind.REPLICA_SET, "default", LabelSelector.parse("app=web")); }

    List<ObjectNode> pods() { return cp.objects().list(Kind.POD, "default", LabelSelector.parse("app=web")); }

    Run ok(String... args) {
        Run r = mo(args);
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        return r;
    }

    @Test
    void scaleSetsReplicas() {
        assertEquals("deployment.apps/web scaled\n", ok("scale", "deployment/web", "--replicas", "3").out());
        assertEquals(3, Json.integer(deployment(), "spec.replicas", 0));
        assertEquals("deployment.apps/web scaled\n", ok("scale", "deployment", "web", "--replicas=1").out());
        assertEquals(1, Json.integer(deployment(), "spec.replicas", 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> pods().size() == 1);

        Run missing = mo("scale", "deploy/nope", "--replicas", "1");
        assertEquals(1, missing.exit());
        assertEquals("Error from server (NotFound): deployments.apps \"nope\" not found\n", missing.err());
    }

    @Test
    void setImageHistoryAndUndo() {
        await().atMost(Duration.ofSeconds(10)).until(() -> replicaSets().size() == 1);
        assertEquals("deployment.apps/web image updated\n", ok("set", "image", "deployment/web", "web=hello:v2").out());
        assertEquals("hello:v2", image());
        assertEquals(2, Json.integer(deployment(), "metadata.generation", 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> replicaSets().size() == 2);

        Run unknown = mo("set", "image", "deployment/web", "nope=x:1");
        assertEquals(1, unknown.exit());
        assertEquals("error: unable to find container named \"nope\"\n", unknown.err());

        assertEquals("deployment.apps/web\nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n",
                ok("rollout", "history", "deployment/web").out());
        Run one = ok("rollout", "history", "deployment/web", "--revision", "1");
        assertTrue(one.out().startsWith("deployment.apps/web with revision #1\nPod Template:\n"), one.out());
        assertTrue(one.out().contains("Image:\thello:v1"), one.out());
        assertFalse(one.out().contains("pod-template-hash"), one.out());

        Run missing = mo("rollout", "undo", "deployment/web", "--to-revision", "7");
        assertEquals(1, missing.exit());
        assertEquals("error: unable to find specified revision 7 in history\n", missing.err());

        assertEquals("deployment.apps/web rolled back\n", ok("rollout", "undo", "deployment/web").out());
        assertEquals("hello:v1", image());
        assertFalse(deployment().at("/spec/template/metadata/labels").has("pod-template-hash"));
        // once the controller has scaled revision 1's ReplicaSet up again (Kubernetes renumbers it), undoing to it is a no-op
        await().atMost(Duration.ofSeconds(10)).until(() -> replicaSets().stream().anyMatch(rs ->
                rs.at("/spec/template/spec/containers/0/image").asText().equals("hello:v1")
                        && Json.integer(rs, "spec.replicas", 0) == 2));
        ObjectNode v1 = replicaSets().stream()
                .filter(rs -> rs.at("/spec/template/spec/containers/0/image").asText().equals("hello:v1")).findFirst().get();
        String revision = Meta.annotations(v1).get("deployment.kubernetes.io/revision");
        assertEquals("deployment.apps/web skipped rollback (current template already matches revision " + revision + ")\n",
                ok("rollout", "undo", "deployment/web", "--to-revision", revision).out());
    }

    @Test
    void restartPauseResume() {
        assertEquals("deployment.apps/web restarted\n", ok("rollout", "restart", "deployment/web").out());
        String at = deployment().at("/spec/template/metadata/annotations").path("kubectl.kubernetes.io/restartedAt").asText();
        assertTrue(at.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), at);

        assertEquals("deployment.apps/web paused\n", ok("rollout", "pause", "deployment/web").out());
        assertTrue(deployment().at("/spec/paused").asBoolean());
        Run again = mo("rollout", "pause", "deployment/web");
        assertEquals(1, again.exit());
        assertEquals("error: deployments.apps \"web\" is already paused\n", again.err());
        assertEquals("deployment.apps/web resumed\n", ok("rollout", "resume", "deployment", "web").out());
        assertFalse(deployment().at("/spec/paused").asBoolean());
        Run notPaused = mo("rollout", "resume", "deployment/web");
        assertEquals(1, notPaused.exit());
        assertEquals("error: deployments.apps \"web\" is not paused\n", notPaused.err());
    }

    @Test
    void replaceWithAStaleResourceVersionIsAConflict() {
        MoClient api = local.client();
        ObjectNode read;
        ObjectNode written = null;
        // The controllers write the Deployment's status too; a write can lose that race, so read again.
        do {
            read = api.get(Kind.DEPLOYMENT, "default", "web");
            ObjectNode first = read.deepCopy();
            ((ObjectNode) first.get("spec")).put("replicas", 4);
            try {
                written = api.replace(first);
            } catch (ApiError conflict) {
                assertEquals(409, conflict.status());
            }
        } while (written == null);
        assertEquals(4, Json.integer(written, "spec.replicas", 0));
        assertEquals(Meta.uid(read), Meta.uid(written));
        assertEquals(2, Json.integer(written, "metadata.generation", 0));

        ObjectNode stale = read.deepCopy();
        ((ObjectNode) stale.get("spec")).put("replicas", 5);
        ApiError e = assertThrows(ApiError.class, () -> api.replace(stale));
        assertEquals(409, e.status());
        assertEquals("Conflict", e.reason());
        assertTrue(e.getMessage().endsWith("the object has been modified; please apply your changes to the latest version"
                + " and try again"), e.getMessage());
        assertEquals(4, Json.integer(deployment(), "spec.replicas", 0));
    }

    @Test
    void editsReadAgainAndRetryWhenSomeoneWroteInBetween() {
        MoClient api = local.client();
        int[] calls = {0};
        ObjectNode written = Edits.modify(api, Kind.DEPLOYMENT, "default", "web", d -> {
            if (calls[0]++ == 0) { // another writer gets in first: our write is now stale
                ObjectNode other = api.get(Kind.DEPLOYMENT, "default", "web");
                Json.objectAt(other, "metadata.labels").put("other", "writer");
                api.replace(other);
            }
            ((ObjectNode) d.get("spec")).put("replicas", 5);
            return d;
        });
        assertEquals(2, calls[0]);
        assertEquals(5, Json.integer(written, "spec.replicas", 0));
        assertEquals("writer", Meta.labels(deployment()).get("other"));
        assertEquals(5, Json.integer(deployment(), "spec.replicas", 0));
    }

    @Test
    void rolloutStatusWaitsForReadyPods() {
        cp.nodes().heartbeat(Json.parse("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},
                 "status":{"addresses":[{"type":"InternalIP","address":"127.0.0.2"}],
                  "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"%s"}]}}"""
                .formatted(Times.now(Clock.systemUTC()))));
        await().atMost(Duration.ofSeconds(10)).until(() -> pods().size() == 2
                && pods().stream().allMatch(p -> Json.text(p, "spec.nodeName") != null));

        Run waiting = mo("rollout", "status", "deployment/web", "--timeout", "1s");
        assertEquals(1, waiting.exit());
        assertEquals("error: timed out waiting for the condition\n", waiting.err());
        assertTrue(waiting.out().contains("Waiting for deployment \"web\" rollout to finish: 0 of 2 updated replicas are available...\n"),
                waiting.out());
        assertEquals(waiting.out().lines().distinct().count(), waiting.out().lines().count(), waiting.out());

        for (ObjectNode pod : pods()) {
            cp.nodes().reportPodStatus("default", Meta.name(pod), Meta.uid(pod),
                    Json.parse("{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}"), Map.of());
        }
        Run done = mo("rollout", "status", "deploy/web", "--timeout", "30s");
        assertEquals(0, done.exit(), done.err());
        assertTrue(done.out().endsWith("deployment \"web\" successfully rolled out\n"), done.out());
    }
}

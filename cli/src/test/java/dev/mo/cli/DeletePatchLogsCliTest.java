package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.mo.cli.LocalControlPlane.Run;
import dev.mo.controlplane.ControlPlane;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import dev.mo.model.Times;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * delete by selector, patch, logs by selector, a claim in use and an unschedulable pod,
 * against a real control plane without an agent: a Node object is posted as an agent posts
 * it, and a small HTTP server answers for the agent's log endpoint.
 */
class DeletePatchLogsCliTest {
    @TempDir
    Path dir;
    LocalControlPlane local;
    ControlPlane cp;
    HttpServer agent;

    @BeforeEach
    void start() throws Exception {
        local = LocalControlPlane.start(dir);
        cp = local.cp;
        Run r = mo("apply", "-f", write("shop.yaml", SHOP).toString());
        assertEquals(0, r.exit(), r.err());
    }

    @AfterEach
    void stop() {
        if (agent != null) agent.stop(0);
        local.close();
    }

    Run mo(String... args) { return local.mo(args); }

    Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static final String SHOP = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: postgres-pvc, namespace: shop}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
            """;

    static String pod(String name, String labels, String extraSpec) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: shop, labels: {%s}}
                spec:
                  containers: [{name: app, image: app:1%s}]
                """.formatted(name, labels, extraSpec);
    }

    /** A Ready node as its agent posts it, with the address of this test's log endpoint when there is one. */
    void node(String cpu) {
        ObjectNode node = Json.parse("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","annotations":{"mo.dev/agent-url":"%s"}},
                 "status":{"allocatable":{"cpu":"%s","memory":"1Gi","pods":"110"},
                  "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"%s"}]}}"""
                .formatted(agent == null ? "http://127.0.0.1:1" : "http://127.0.0.1:" + agent.getAddress().getPort(),
                        cpu, Times.now(Clock.systemUTC())));
        cp.nodes().heartbeat(node);
    }

    ObjectNode stored(Kind kind, String name) { return cp.objects().require(kind, "shop", name); }

    @Test
    void deleteBySelectorPrintsOneLinePerObject() throws Exception {
        for (String p : new String[] {pod("api-1", "component: backend", ""), pod("api-2", "component: backend", ""),
                pod("web", "component: frontend", "")}) {
            assertEquals(0, mo("apply", "-f", write("p.yaml", p).toString()).exit());
        }
        Run r = mo("delete", "pod", "-l", "component=backend", "-n", "shop");
        assertEquals(0, r.exit(), r.err());
        assertEquals("pod \"api-1\" deleted\npod \"api-2\" deleted\n", r.out());
        assertTrue(cp.objects().get(Kind.POD, "shop", "web").isPresent());

        Run none = mo("delete", "pod", "-l", "component=backend", "-n", "shop");
        assertEquals(0, none.exit());
        assertEquals("", none.out());
        assertEquals("No resources found\n", none.err());

        Run all = mo("delete", "pods", "--all", "-n", "shop");
        assertEquals("pod \"web\" deleted\n", all.out());
        Run named = mo("delete", "pod", "web", "-l", "component=backend", "-n", "shop");
        assertEquals(1, named.exit());
        assertTrue(named.err().contains("name cannot be provided when a selector is specified"), named.err());
    }

    @Test
    void patchMergesValidatesAndSaysWhenNothingChanged() {
        String grow = "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"10Gi\"}}}}";
        Run r = mo("patch", "pvc", "postgres-pvc", "-n", "shop", "-p", grow);
        assertEquals(0, r.exit(), r.err());
        assertEquals("persistentvolumeclaim/postgres-pvc patched\n", r.out());
        assertEquals("10Gi", Json.text(stored(Kind.PERSISTENT_VOLUME_CLAIM, "postgres-pvc"), "spec.resources.requests.storage"));
        assertEquals(java.util.List.of("ReadWriteOnce"), java.util.List.of(
                Json.text(stored(Kind.PERSISTENT_VOLUME_CLAIM, "postgres-pvc"), "spec.accessModes.0")), "the rest is kept");

        Run again = mo("patch", "pvc/postgres-pvc", "-n", "shop", "--type", "merge", "-p", grow);
        assertEquals("persistentvolumeclaim/postgres-pvc patched (no change)\n", again.out());

        Run bad = mo("patch", "pvc", "postgres-pvc", "-n", "shop", "-p",
                "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"ten gigs\"}}}}");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("spec.resources.requests.storage: must be a quantity like"), bad.err());
        assertEquals("10Gi", Json.text(stored(Kind.PERSISTENT_VOLUME_CLAIM, "postgres-pvc"), "spec.resources.requests.storage"));

        Run shrink = mo("patch", "pvc", "postgres-pvc", "-n", "shop", "-p",
                "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"5Gi\"}}}}");
        assertEquals(1, shrink.exit());
        assertTrue(shrink.err().contains("spec.resources.requests.storage: Forbidden: field can not be less than previous value"),
                shrink.err());

        // null removes a key (RFC 7386)
        mo("patch", "pvc", "postgres-pvc", "-n", "shop", "-p", "{\"metadata\":{\"labels\":{\"tier\":\"db\",\"x\":\"y\"}}}");
        mo("patch", "pvc", "postgres-pvc", "-n", "shop", "-p", "{\"metadata\":{\"labels\":{\"x\":null}}}");
        assertEquals(java.util.Map.of("tier", "db"), Meta.labels(stored(Kind.PERSISTENT_VOLUME_CLAIM, "postgres-pvc")));

        Run json = mo("patch", "pvc", "postgres-pvc", "-n", "shop", "--type", "json", "-p", "[]");
        assertEquals(1, json.exit());
        assertTrue(json.err().contains("--type json is not supported"), json.err());
    }

    @Test
    void aClaimInUseIsTerminatingUntilItsPodGoes() throws Exception {
        node("4");
        mo("apply", "-f", write("db.yaml", pod("db", "app: db", "")
                + "  volumes: [{name: data, persistentVolumeClaim: {claimName: postgres-pvc}}]\n").toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> "n1".equals(Json.text(stored(Kind.POD, "db"), "spec.nodeName")));

        Run r = mo("delete", "pvc", "postgres-pvc", "-n", "shop", "--wait=false");
        assertEquals(0, r.exit(), r.err());
        assertEquals("persistentvolumeclaim \"postgres-pvc\" deleted\n", r.out());
        Run get = mo("get", "pvc", "-n", "shop");
        assertTrue(get.out().matches("(?s).*postgres-pvc\\s+Terminating\\s.*"), get.out());

        Run waiting = mo("delete", "pvc", "postgres-pvc", "-n", "shop", "--timeout", "1");
        assertEquals(1, waiting.exit());
        assertTrue(waiting.err().contains("timed out waiting for persistentvolumeclaims/postgres-pvc to be deleted"),
                waiting.err());

        mo("delete", "pod", "db", "-n", "shop", "--wait=false");
        cp.nodes().podTerminated("shop", "db", Meta.uid(stored(Kind.POD, "db")));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cp.objects().get(Kind.PERSISTENT_VOLUME_CLAIM, "shop", "postgres-pvc").isEmpty());
    }

    @Test
    void anUnschedulablePodIsPendingAndDescribeSaysWhy() throws Exception {
        node("1");
        mo("apply", "-f", write("big.yaml", pod("big", "app: big", ", resources: {requests: {cpu: \"2\"}}")).toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> mo("describe", "pod", "big", "-n", "shop").out()
                .contains("FailedScheduling"));
        Run get = mo("get", "pods", "-n", "shop");
        assertTrue(get.out().matches("(?s).*big\\s+0/1\\s+Pending\\s+0\\s.*"), get.out());
        String describe = mo("describe", "pod", "big", "-n", "shop").out();
        assertTrue(describe.matches("(?s).*PodScheduled\\s+False.*"), describe);
        assertTrue(describe.contains("0/1 nodes are available: 1 Insufficient cpu."), describe);
    }

    @Test
    void logsOfEverySelectedPodAndOfADeployment() throws Exception {
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/logs", ex -> {
            String query = ex.getRequestURI().getQuery();
            String pod = query.replaceAll(".*pod=([^&]*).*", "$1");
            String tail = query.contains("tailLines=") ? query.replaceAll(".*tailLines=([^&]*).*", " (last $1)") : "";
            byte[] body = ("log of " + pod + tail + "\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        agent.start();
        node("4");
        for (String p : new String[] {pod("api-2", "app: api", ""), pod("api-1", "app: api", ""), pod("web", "app: web", "")}) {
            mo("apply", "-f", write("p.yaml", p).toString());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().list(Kind.POD, "shop", dev.mo.model.LabelSelector.EVERYTHING)
                .stream().allMatch(p -> Json.text(p, "spec.nodeName") != null));

        Run r = mo("logs", "-l", "app=api", "-n", "shop");
        assertEquals(0, r.exit(), r.err());
        assertEquals("log of api-1 (last 10)\nlog of api-2 (last 10)\n", r.out(), "kubectl's default with a selector");
        assertEquals("log of api-1 (last 3)\nlog of api-2 (last 3)\n", mo("logs", "-l", "app=api", "--tail", "3", "-n", "shop").out());
        Run none = mo("logs", "-l", "app=none", "-n", "shop");
        assertEquals(0, none.exit());
        assertEquals("No resources found in shop namespace.\n", none.err());

        mo("apply", "-f", write("web.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: shopfront, namespace: shop}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: shopfront}}
                  template:
                    metadata: {labels: {app: shopfront}}
                    spec: {containers: [{name: app, image: app:1}]}
                """).toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().list(Kind.POD, "shop",
                dev.mo.model.LabelSelector.parse("app=shopfront")).stream().filter(p -> Json.text(p, "spec.nodeName") != null).count() == 2);
        Run deployment = mo("logs", "deployment/shopfront", "-n", "shop");
        assertEquals(0, deployment.exit(), deployment.err());
        assertTrue(deployment.out().matches("log of shopfront-[a-z0-9]+-[a-z0-9]+\n"), deployment.out());
        assertTrue(deployment.err().startsWith("Found 2 pods, using pod/shopfront-"), deployment.err());
    }

    @Test
    void aJobIsListedDescribedLoggedAndDeletedWithItsPods() throws Exception {
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/logs", ex -> {
            String pod = ex.getRequestURI().getQuery().replaceAll(".*pod=([^&]*).*", "$1");
            byte[] body = ("log of " + pod + "\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        agent.start();
        node("4");
        Run applied = mo("apply", "-f", write("job.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: pi, namespace: shop}
                spec:
                  completions: 2
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: pi, image: perl:5.34}]
                """).toString());
        assertEquals(0, applied.exit(), applied.err());
        assertEquals("job.batch/pi created\n", applied.out());
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().list(Kind.POD, "shop",
                dev.mo.model.LabelSelector.parse("batch.kubernetes.io/job-name=pi")).stream()
                .anyMatch(p -> Json.text(p, "spec.nodeName") != null));

        Run get = mo("get", "jobs", "-n", "shop");
        assertEquals(0, get.exit(), get.err());
        assertTrue(get.out().startsWith("NAME   STATUS    COMPLETIONS   DURATION   AGE\npi     Running   0/2 "), get.out());
        Run all = mo("get", "all", "-n", "shop");
        assertTrue(all.out().contains("job.batch/pi"), all.out());

        Run logs = mo("logs", "job/pi", "-n", "shop");
        assertEquals(0, logs.exit(), logs.err());
        assertTrue(logs.out().matches("log of pi-[a-z0-9]{5}\n"), logs.out());

        Run describe = mo("describe", "job", "pi", "-n", "shop");
        assertEquals(0, describe.exit(), describe.err());
        assertTrue(describe.out().contains("Completions:      2\n"), () -> "[" + describe.out() + "]" + describe.err());
        assertTrue(describe.out().contains("SuccessfulCreate"), describe.out());

        assertEquals(0, mo("delete", "job", "pi", "-n", "shop").exit());
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.objects().list(Kind.POD, "shop",
                dev.mo.model.LabelSelector.parse("batch.kubernetes.io/job-name=pi")).stream().allMatch(Meta::deleting));
    }
}

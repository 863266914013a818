package dev.mo.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 2's end-to-end proof on a real Docker engine: a Deployment becomes running
 * containers; a container removed by hand comes back; a killed server adopts what runs;
 * a broken directory applies nothing; deleting the namespace leaves no container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = "e2e-skeleton";

    Path work;
    MoProcess mo;
    String node;

    @BeforeAll
    void startServer() throws Exception {
        Docker.buildHelloImages();
        work = Files.createTempDirectory("mo-e2e");
        node = "e2e-node-" + ProcessHandle.current().pid();
        mo = new MoProcess(work.resolve("state"), MoProcess.freePort(), node).start();
    }

    @AfterAll
    void stopServer() throws Exception {
        if (mo != null) mo.close();
        Docker.removeAllWithLabel("mo.node=" + node);
    }


    Path manifests(String dir, String... files) throws Exception {
        Path d = work.resolve(dir);
        Files.createDirectories(d);
        for (int i = 0; i < files.length; i += 2) Files.writeString(d.resolve(files[i]), files[i + 1]);
        return d;
    }

    static String deployment(String name, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels:
                      app: %s
                  template:
                    metadata:
                      labels:
                        app: %s
                    spec:
                      containers:
                        - name: web
                          image: mo-example/hello:v1
                          ports:
                            - containerPort: 8080
                """.formatted(name, NS, replicas, name, name);
    }

    List<String> runningContainers() throws Exception {
        return Docker.runningWithLabel("mo.namespace=" + NS);
    }

    JsonNode pods() throws Exception {
        MoProcess.Result r = mo.mo("get", "pods", "-n", NS, "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        return JSON.readTree(r.out());
    }

    long runningPods(JsonNode list) {
        long n = 0;
        for (JsonNode p : list.path("items")) if ("Running".equals(p.at("/status/phase").asText())) n++;
        return n;
    }

    @Test
    @Order(1)
    void aThreeReplicaDeploymentRunsThreeContainers() throws Exception {
        Path dir = manifests("app", "00-ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + NS + "\n",
                "10-web.yaml", deployment("web", 3));
        MoProcess.Result apply = mo.mo("apply", "-f", dir.toString());
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("namespace/" + NS + " created"), apply.out());
        assertTrue(apply.out().contains("deployment.apps/web created"), apply.out());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(3, runningContainers().size()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(3, runningPods(pods())));

        MoProcess.Result table = mo.mo("get", "pods", "-n", NS);
        assertEquals(0, table.exitCode(), table.toString());
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(0).matches("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE"), lines.get(0));
        assertEquals(3, lines.stream().filter(l -> l.matches("web-\\S+\\s+1/1\\s+Running\\s+0\\s+\\S+")).count(),
                table.out());

        MoProcess.Result again = mo.mo("apply", "-f", dir.toString());
        assertTrue(again.out().contains("deployment.apps/web unchanged"), again.out());
    }

    @Test
    @Order(2)
    void aContainerRemovedByHandIsReplacedAndTheRestartIsCounted() throws Exception {
        List<String> before = runningContainers();
        Docker.run("rm", "-f", before.get(0));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> now = runningContainers();
            assertEquals(3, now.size());
            assertFalse(now.contains(before.get(0)));
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            long restarted = 0;
            for (JsonNode p : pods().path("items")) {
                if (p.at("/status/containerStatuses/0/restartCount").asInt() == 1) restarted++;
            }
            assertEquals(1, restarted);
        });
        MoProcess.Result table = mo.mo("get", "pods", "-n", NS);
        assertEquals(1, table.out().lines().filter(l -> l.matches("web-\\S+\\s+1/1\\s+Running\\s+1( \\(.*ago\\))?\\s+\\S+")).count(),
                table.out());
    }

    @Test
    @Order(3)
    void aServerKilledWithSigkillAdoptsTheRunningContainers() throws Exception {
        List<String> before = runningContainers();
        assertEquals(3, before.size());
        mo.kill9();
        mo.start();
        // Give the restarted agent several sync rounds: the same containers must keep running.
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertEquals(3, runningPods(pods())));
        assertEquals(before, runningContainers());
        assertEquals(before, Docker.allWithLabel("mo.namespace=" + NS), "no container was created or left behind");
    }

    @Test
    @Order(4)
    void aDirectoryWithOneBrokenDocumentAppliesNothing() throws Exception {
        String broken = deployment("broken", 1).replace("replicas: 1", "replicas: -1");
        Path dir = manifests("bad", "a-good.yaml", deployment("good", 1), "b-broken.yaml", broken);
        MoProcess.Result r = mo.mo("apply", "-f", dir.toString());
        assertNotEquals(0, r.exitCode(), r.toString());
        String replicasLine = Integer.toString(broken.lines().toList().indexOf("  replicas: -1") + 1);
        assertTrue(r.err().contains("b-broken.yaml:" + replicasLine + ":"), r.err());
        assertTrue(r.err().contains("spec.replicas"), r.err());
        MoProcess.Result get = mo.mo("get", "deployments", "-n", NS, "-o", "name");
        assertEquals("deployment.apps/web", get.out().strip());
    }

    @Test
    @Order(5)
    void deletingTheNamespaceLeavesNoContainer() throws Exception {
        MoProcess.Result r = mo.mo("delete", "namespace", NS);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("namespace \"" + NS + "\" deleted", r.out().strip());
        assertEquals(List.of(), Docker.allWithLabel("mo.namespace=" + NS));
        MoProcess.Result get = mo.mo("get", "namespace", NS);
        assertNotEquals(0, get.exitCode());
        assertTrue(get.err().contains("namespaces \"" + NS + "\" not found"), get.err());
    }
}

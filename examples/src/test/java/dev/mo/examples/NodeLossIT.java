package dev.mo.examples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's "node fails → pods rescheduled to healthy nodes", on a real Docker engine: a
 * second node is a second {@code mo agent} on the same engine (its ports on 127.0.0.2). With
 * one replica on each node and steady load through the first node's Ingress:
 * <ol>
 * <li>the second node is cut off for a while (its agent frozen with SIGSTOP): it turns
 *     NotReady and its pod stops getting traffic; heard again before the eviction timeout, it
 *     keeps its pod, which its agent reports ready again;</li>
 * <li>the second node's host "dies": its agent is SIGKILLed and its containers killed. The
 *     node turns NotReady, its pod is evicted, and a replacement starts on the node left;</li>
 * <li>when the second agent comes back, it cleans up the pod it lost and runs nothing stale.</li>
 * </ol>
 * Not one request fails through all of it. Node timings are shortened with the server's
 * options (grace 12 s: heartbeats come every 5 s; eviction 8 s).
 */
class NodeLossIT {
    static final String NS = "e2e-node-loss";

    MoProcess mo;
    ClusterView cluster;
    String nodeA;
    String nodeB;
    Process agentB;
    Path work;

    @AfterEach
    void stop() throws Exception {
        try {
            if (mo != null) mo.mo("delete", "namespace", NS, "--timeout", "60");
        } finally {
            if (agentB != null) agentB.destroyForcibly().waitFor();
            if (mo != null) mo.close();
            if (nodeA != null) Docker.removeAllWithLabel("mo.node=" + nodeA);
            if (nodeB != null) Docker.removeAllWithLabel("mo.node=" + nodeB);
        }
    }

    @Test
    void podsOfALostNodeAreReplacedOnTheNodeLeftWithoutAFailedRequest() throws Exception {
        Docker.buildHelloImages();
        work = Files.createTempDirectory("mo-node-loss");
        long pid = ProcessHandle.current().pid();
        nodeA = "loss-a-" + pid;
        nodeB = "loss-b-" + pid;
        int ingressPort = MoProcess.freePort();
        mo = new MoProcess(work.resolve("state"), MoProcess.freePort(), nodeA).withIngressPort(ingressPort)
                .withServerArgs("--node-monitor-grace-period", "12s", "--pod-eviction-timeout", "8s");
        mo.start();
        cluster = new ClusterView(mo, NS);
        agentB = mo.startAgent(nodeB, "127.0.0.2");
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyNodes().size() == 2);

        Path manifests = work.resolve("app.yaml");
        Files.writeString(manifests, HelloWeb.manifests(NS, 2));
        MoProcess.Result applied = mo.mo("apply", "-f", manifests.toString());
        assertEquals(0, applied.exitCode(), applied.toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.readyPodsByNode().equals(Map.of(nodeA, 1, nodeB, 1)));
        String ingress = "http://127.0.0.1:" + ingressPort + "/";
        await().atMost(Duration.ofSeconds(30)).until(() -> Load.get(ingress).statusCode() == 200);
        String lostPod = cluster.podsOn(nodeB).get(0);

        try (Load load = new Load(ingress, 40_000, Duration.ofSeconds(180)).start()) {
            Thread.sleep(1000);
            // Node B is cut off, then heard again before its pods are evicted.
            signal("STOP", agentB);
            await().atMost(Duration.ofSeconds(40)).until(() -> !cluster.readyNodes().contains(nodeB));
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.readyPodsByNode().equals(Map.of(nodeA, 1)));
            signal("CONT", agentB);
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.readyNodes().contains(nodeB)
                    && cluster.readyPodsByNode().equals(Map.of(nodeA, 1, nodeB, 1)));
            assertEquals(List.of(lostPod), cluster.podsOn(nodeB), "the node heard again in time kept its pod");
            assertTrue(!cluster.podDeleting(lostPod));

            // Node B's host dies: its agent without a word, then its containers.
            agentB.destroyForcibly().waitFor();
            for (String id : Docker.runningWithLabel("mo.node=" + nodeB)) Docker.run("kill", id);

            await().atMost(Duration.ofSeconds(40)).until(() -> !cluster.readyNodes().contains(nodeB));
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.podDeleting(lostPod));
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.readyPodsByNode().equals(Map.of(nodeA, 2)));
            Thread.sleep(1000);
            load.close();
            assertEquals(List.of(), load.failures, "requests that failed while node B was lost");
            assertTrue(load.ok.get() > 100, "the load ran: " + load.ok.get() + " requests");
        }
        String events = mo.mo("get", "events", "-n", NS).out();
        assertTrue(events.contains("NodeNotReady") && events.contains("Node is not ready"), events);
        assertTrue(events.contains("TaintManagerEviction"), events);

        // Node B comes back: it is Ready again, finishes the lost pod, and runs nothing stale.
        agentB = mo.startAgent(nodeB, "127.0.0.2");
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyNodes().contains(nodeB));
        await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.podNames().contains(lostPod));
        await().atMost(Duration.ofSeconds(30)).until(() -> Docker.allWithLabel("mo.node=" + nodeB).isEmpty());
        assertEquals(Map.of(nodeA, 2), cluster.readyPodsByNode());
    }

    static void signal(String name, Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }
}

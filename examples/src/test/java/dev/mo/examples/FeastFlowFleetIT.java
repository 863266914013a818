package dev.mo.examples;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FeastFlow on a fleet of three hosts, as the seed draws it (Node 1, Node 2, ...): the
 * manifests of {@code examples/feastflow/devops/kubernetes/} applied unchanged, the images
 * built on the first host only ({@code build-images.sh}) and fetched by the other hosts'
 * agents from it. The frontend's and the backend's replicas land on more than one host; the
 * Ingress of every host serves the page and {@code /api/menu} (rows from PostgreSQL, wherever
 * it runs); and {@code mo logs} reaches a pod on another host (the server calls that host's
 * agent over mutual TLS). Then the seed's five scenarios run across the hosts, by the script a
 * user runs ({@link FeastFlowScenarios}), with the load sent through the second host's Ingress
 * and the crashed container killed on whichever host runs it ({@code DOCKER_AT}).
 */
class FeastFlowFleetIT {
    static final Path FEASTFLOW = Path.of(System.getProperty("mo.examples", ".")).toAbsolutePath().resolve("feastflow");
    static final String NS = "feastflow";
    static final String CLAIM_VOLUME = "mo-pvc-feastflow-postgres-pvc";

    Fleet fleet;

    @AfterEach
    void stop() throws Exception {
        try {
            if (fleet != null) fleet.mo.mo("delete", "namespace", NS, "--timeout", "100");
        } finally {
            if (fleet != null) fleet.close();
            Docker.run("volume", "rm", "-f", CLAIM_VOLUME);
        }
    }

    @Test
    void feastFlowRunsAcrossThreeHostsWithItsImagesBuiltOnTheFirst() throws Exception {
        Docker.run("volume", "rm", "-f", CLAIM_VOLUME); // left by an earlier, broken run
        Docker.buildWith("feastflow/build-images.sh");
        fleet = Fleet.start("ff");
        MoProcess mo = fleet.mo;
        MoProcess.Result applied = mo.mo("apply", "-f", FEASTFLOW.resolve("devops/kubernetes").toString());
        assertEquals(0, applied.exitCode(), applied.toString());
        for (String rollout : List.of("statefulset/postgres", "deployment/feastflow-backend", "deployment/feastflow-frontend")) {
            MoProcess.Result r = mo.mo("rollout", "status", rollout, "-n", NS, "--timeout", "300s");
            assertEquals(0, r.exitCode(), rollout + ": " + r + "\n" + mo.serverLog());
        }

        ClusterView cluster = new ClusterView(mo, NS);
        assertTrue(nodesOf(cluster, "feastflow-frontend").size() >= 2, "frontend replicas on more than one host");
        assertTrue(nodesOf(cluster, "feastflow-backend").size() >= 2, "backend replicas on more than one host");
        String events = mo.mo("get", "events", "-n", NS).out();
        assertTrue(events.contains("from node " + fleet.firstNode()), "an image came from the first host:\n" + events);

        for (String address : fleet.addresses()) {
            String ingress = fleet.ingress(address);
            await().atMost(Duration.ofSeconds(60)).until(() -> Load.get(ingress + "/api/menu").statusCode() == 200);
            assertTrue(Load.get(ingress + "/api/menu").body().contains("Margherita pizza"), address);
            assertEquals(200, Load.get(ingress + "/").statusCode(), address);
        }

        String remote = null;
        for (JsonNode p : cluster.items("pods")) {
            String name = p.at("/metadata/name").asText();
            if (name.startsWith("feastflow-backend") && !fleet.firstNode().equals(p.at("/spec/nodeName").asText())) remote = name;
        }
        assertTrue(remote != null, "a backend pod on another host");
        MoProcess.Result logs = mo.mo("logs", remote, "-n", NS);
        assertEquals(0, logs.exitCode(), logs.toString());
        assertTrue(!logs.out().isBlank(), "the remote pod's log: " + logs);

        TestHosts.Host h2 = fleet.hosts.hosts.get(0);
        String out = FeastFlowScenarios.runAndCheck(mo, fleet.ingress(h2.address()), mo.stateDir.getParent(),
                Map.of("DOCKER_AT", "bash " + TestHosts.SCRIPT + " docker {address}"));
        assertTrue(out.contains("dies on node " + fleet.prefix + "-h"), out);
    }

    static Set<String> nodesOf(ClusterView cluster, String prefix) throws Exception {
        Set<String> nodes = new HashSet<>();
        for (JsonNode p : cluster.items("pods")) {
            if (p.at("/metadata/name").asText().startsWith(prefix)) nodes.add(p.at("/spec/nodeName").asText());
        }
        return nodes;
    }
}

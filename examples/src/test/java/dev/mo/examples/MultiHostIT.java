package dev.mo.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One app across three Docker hosts with separate engines and separate network stacks: this
 * machine ({@code mo server} with its agent, on 10.213.0.1) and two test hosts, network
 * namespaces h2 and h3 with a {@code dockerd} and a {@code mo agent} each
 * ({@link TestHosts}). A 3-replica Deployment spreads one pod to each host; every host's
 * Ingress serves every replica; a pod on one host reaches the Service's pods on the others by
 * name and cluster IP; every host's node port serves every replica; the test hosts' agents run
 * with {@code --firewall}, so h2's pod's published port takes the nodes' connections and not a
 * stranger's; h2 is drained (cordoned, its pod evicted and replaced elsewhere) and uncordoned; and
 * when h3's link is cut, its node turns NotReady, its pods leave the Endpoints and are
 * replaced on the hosts left. Not one request fails through the first host's Ingress.
 *
 * <p>The image is built on the first host only: h2's and h3's agents fetch it from the first
 * host's agent (no registry), and their engines end up with the same image ID.
 */
class MultiHostIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = "e2e-multi-host";
    static final String FIRST = "fleet-h1";

    Fleet fleet;
    MoProcess mo;
    ClusterView cluster;

    @AfterEach
    void stop() throws Exception {
        try {
            if (mo != null) mo.mo("delete", "namespace", NS, "--timeout", "60");
        } finally {
            if (fleet != null) fleet.close(); // the hosts' engines go with their containers
        }
    }

    /** Whether a TCP connection from {@code source} to {@code target} is taken within 2 s. */
    static boolean connects(String source, InetSocketAddress target) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(target, 2000);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Test
    void aDeploymentSpreadsOverThreeHostsAndSurvivesLosingOne() throws Exception {
        Docker.buildHelloImages();
        fleet = Fleet.start("fleet", List.of("--firewall"), "--node-monitor-grace-period", "12s", "--pod-eviction-timeout", "6s");
        mo = fleet.mo;
        cluster = new ClusterView(mo, NS);
        int ingressPort = fleet.ingressPort;
        Path work = mo.stateDir.getParent();

        Path manifests = work.resolve("app.yaml");
        Files.writeString(manifests, HelloWeb.manifests(NS, 3));
        MoProcess.Result applied = mo.mo("apply", "-f", manifests.toString());
        assertEquals(0, applied.exitCode(), applied.toString());

        // The default spreading puts one replica on each host.
        Map<String, Integer> spread = Map.of(FIRST, 1, "fleet-h2", 1, "fleet-h3", 1);
        await().atMost(Duration.ofSeconds(90)).until(() -> cluster.readyPodsByNode().equals(spread));
        assertEquals(1, Docker.runningWithLabel("mo.node=" + FIRST).size());
        String imageId = Docker.run("image", "inspect", "-f", "{{.Id}}", "mo-example/hello:v1").strip();
        String events = mo.mo("get", "events", "-n", NS).out();
        for (TestHosts.Host host : fleet.hosts.hosts) {
            assertEquals(imageId, host.docker("image", "inspect", "-f", "{{.Id}}", "mo-example/hello:v1").strip(),
                    host.name() + " has the first host's image");
        }
        assertEquals(2, events.lines().filter(l -> l.contains("Successfully pulled image \"mo-example/hello:v1\" from node " + FIRST)).count(),
                events);
        for (TestHosts.Host host : fleet.hosts.hosts) {
            String ids = host.docker("ps", "-q", "--filter", "label=mo.node=fleet-" + host.name());
            assertEquals(1, ids.strip().lines().count(), host.name() + " runs its replica on its own engine");
        }

        // Every host's Ingress reaches the replicas of every host.
        Set<String> allPods = new TreeSet<>(cluster.podNames());
        List<String> addresses = fleet.addresses();
        for (String address : addresses) {
            String ingress = "http://" + address + ":" + ingressPort + "/";
            await().atMost(Duration.ofSeconds(30)).until(() -> Load.get(ingress).statusCode() == 200);
            Set<String> served = new TreeSet<>();
            for (int i = 0; i < 30 && !served.equals(allPods); i++) served.add(Load.pod(Load.get(ingress).body()));
            assertEquals(allPods, served, "the replicas served through " + address + "'s Ingress");
        }

        // h2's agent runs with --firewall: its pod's published port takes connections from the
        // other nodes only. A stranger on the same network (an address of no node) gets no answer.
        TestHosts.Host firewalled = fleet.hosts.hosts.get(0);
        String published = firewalled.docker("port", firewalled.docker("ps", "-q", "--filter", "label=mo.namespace=" + NS).strip(), "8080")
                .strip().lines().findFirst().orElseThrow();
        InetSocketAddress podPort = new InetSocketAddress(firewalled.address(),
                Integer.parseInt(published.substring(published.lastIndexOf(':') + 1)));
        assertTrue(connects(TestHosts.FIRST_HOST, podPort), "a node reaches " + published);
        String stranger = "10.213.0.99";
        Commands.run(List.of("ip", "addr", "add", stranger + "/32", "dev", "br-mo"), 10);
        try {
            assertFalse(connects(stranger, podPort), "a stranger reaches " + published);
        } finally {
            Commands.run(List.of("ip", "addr", "del", stranger + "/32", "dev", "br-mo"), 10);
        }

        // A pod on h2 reaches the Service's pods on the other hosts by the Service's name and by its cluster IP.
        TestHosts.Host h2 = fleet.hosts.hosts.get(0);
        String client = h2.docker("ps", "-q", "--filter", "label=mo.namespace=" + NS).strip();
        String clusterIp = JSON.readTree(mo.mo("get", "service", "web", "-n", NS, "-o", "json").out()).at("/spec/clusterIP").asText();
        for (String target : List.of("web", clusterIp)) {
            Set<String> reached = new TreeSet<>();
            for (int i = 0; i < 30 && !reached.equals(allPods); i++) {
                reached.add(Load.pod(h2.docker("exec", client, "timeout", "5", "wget", "-qO-", "http://" + target + "/")));
            }
            assertEquals(allPods, reached, "the pods a container on h2 reached through http://" + target + "/");
        }

        // As a NodePort Service, every host's node port reaches the replicas of every host.
        MoProcess.Result patched = mo.mo("patch", "service", "web", "-n", NS, "-p", "{\"spec\":{\"type\":\"NodePort\"}}");
        assertEquals(0, patched.exitCode(), patched.toString());
        int nodePort = JSON.readTree(mo.mo("get", "service", "web", "-n", NS, "-o", "json").out()).at("/spec/ports/0/nodePort").asInt();
        assertTrue(nodePort >= 30000 && nodePort <= 32767, "node port " + nodePort);
        for (String address : addresses) {
            String url = "http://" + address + ":" + nodePort + "/";
            await().atMost(Duration.ofSeconds(30)).until(() -> Load.get(url).statusCode() == 200);
            Set<String> served = new TreeSet<>();
            for (int i = 0; i < 30 && !served.equals(allPods); i++) served.add(Load.pod(Load.get(url).body()));
            assertEquals(allPods, served, "the replicas served through " + url);
        }

        // h2 is drained under load, as before a reboot: its pod is evicted and replaced elsewhere.
        String ingress = "http://" + TestHosts.FIRST_HOST + ":" + ingressPort + "/";
        try (Load load = new Load(ingress, 40_000, Duration.ofSeconds(120)).start()) {
            Thread.sleep(1000);
            MoProcess.Result drained = mo.mo("drain", "fleet-h2", "--timeout", "60s");
            assertEquals(0, drained.exitCode(), drained.toString());
            assertTrue(drained.out().startsWith("node/fleet-h2 cordoned\n") && drained.out().endsWith("node/fleet-h2 drained\n"),
                    drained.out());
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<String, Integer> ready = cluster.readyPodsByNode();
                return !ready.containsKey("fleet-h2") && ready.values().stream().mapToInt(Integer::intValue).sum() == 3;
            });
            Thread.sleep(1000);
            load.close();
            assertTrue(load.ok.get() > 100, "the load ran: " + load.ok.get() + " requests");
            assertEquals(List.of(), load.failures, "requests that failed while h2 was drained");
        }
        assertTrue(mo.mo("get", "nodes").out().contains("SchedulingDisabled"));
        assertEquals("node/fleet-h2 uncordoned\n", mo.mo("uncordon", "fleet-h2").out());

        // h3 is cut off the network: its pods leave the Endpoints and are replaced on h1 or h2.
        String lost = cluster.podsOn("fleet-h3").get(0);
        try (Load load = new Load(ingress, 40_000, Duration.ofSeconds(180)).start()) {
            Thread.sleep(1000);
            Commands.run(List.of("ip", "link", "set", "veth-mo-h3", "down"), 10);
            await().atMost(Duration.ofSeconds(40)).until(() -> !cluster.readyNodes().contains("fleet-h3"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<String, Integer> ready = cluster.readyPodsByNode();
                return !ready.containsKey("fleet-h3") && ready.values().stream().mapToInt(Integer::intValue).sum() == 3;
            });
            Thread.sleep(1000);
            load.close();
            assertTrue(load.ok.get() > 100, "the load ran: " + load.ok.get() + " requests");
            // Before the node is marked NotReady, the first host's proxy still tries h3's pod:
            // a GET that cannot connect there is retried on another endpoint.
            assertEquals(List.of(), load.failures, "requests that failed while h3 was lost");
        }
        assertTrue(cluster.podDeleting(lost), "the lost host's pod is Terminating until its host is heard again");

        // h3 comes back: Ready again, it stops the pod that was replaced, and runs nothing stale.
        Commands.run(List.of("ip", "link", "set", "veth-mo-h3", "up"), 10);
        TestHosts.Host h3 = fleet.hosts.hosts.get(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyNodes().contains("fleet-h3"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.podNames().contains(lost));
        await().atMost(Duration.ofSeconds(30)).until(() -> h3.docker("ps", "-aq", "--filter", "label=mo.pod=" + lost).isBlank());
        assertEquals(3, cluster.readyPodsByNode().values().stream().mapToInt(Integer::intValue).sum());
    }
}

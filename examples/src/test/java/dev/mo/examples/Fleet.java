package dev.mo.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A three-host mo cluster on this machine for end-to-end tests: {@code mo server} (with its
 * agent) on this machine's address on the test bridge, and a {@code mo agent} joined with the
 * join token on each of two {@link TestHosts}, each host with its own engine and network
 * stack. Every node's Ingress listens on the same port of its own address. Nodes are named
 * {@code PREFIX-h1}, {@code PREFIX-h2}, {@code PREFIX-h3}.
 */
final class Fleet implements AutoCloseable {
    final TestHosts hosts;
    final MoProcess mo;
    final String prefix;
    final int ingressPort;
    private final List<Process> agents = new ArrayList<>();

    private Fleet(TestHosts hosts, MoProcess mo, String prefix, int ingressPort) {
        this.hosts = hosts;
        this.mo = mo;
        this.prefix = prefix;
        this.ingressPort = ingressPort;
    }

    static Fleet start(String prefix, String... serverArgs) throws Exception {
        return start(prefix, List.of(), serverArgs);
    }

    /** With {@code agentArgs} added to the test hosts' agents (the first host's runs inside the server). */
    static Fleet start(String prefix, List<String> agentArgs, String... serverArgs) throws Exception {
        TestHosts hosts = TestHosts.up(2);
        Path work = Files.createTempDirectory("mo-" + prefix);
        int ingressPort = MoProcess.freePort();
        MoProcess mo = new MoProcess(work.resolve("state"), MoProcess.freePort(), prefix + "-h1")
                .withAddress(TestHosts.FIRST_HOST).withIngressPort(ingressPort).withServerArgs(serverArgs);
        Fleet fleet = new Fleet(hosts, mo, prefix, ingressPort);
        try {
            mo.start();
            for (TestHosts.Host host : hosts.hosts) {
                List<String> args = new ArrayList<>(List.of("--address", host.address(), "--docker-host", host.dockerHost(),
                        "--ingress-port", Integer.toString(ingressPort), "--agent-port", "7071"));
                args.addAll(agentArgs);
                fleet.agents.add(mo.startAgent(fleet.node(host), host.inside(), args));
            }
            ClusterView cluster = new ClusterView(mo, "default");
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyNodes().size() == 3);
            return fleet;
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
    }

    String firstNode() { return prefix + "-h1"; }

    String node(TestHosts.Host host) { return prefix + "-" + host.name(); }

    /** Each host's address on the bridge, this machine's first. */
    List<String> addresses() {
        List<String> all = new ArrayList<>(List.of(TestHosts.FIRST_HOST));
        hosts.hosts.forEach(h -> all.add(h.address()));
        return all;
    }

    String ingress(String address) { return "http://" + address + ":" + ingressPort; }

    /** Stops the agents and the server, removes this machine's containers of the cluster, then the hosts with theirs. */
    @Override
    public void close() throws Exception {
        try {
            for (Process agent : agents) agent.destroyForcibly().waitFor();
            mo.close();
            Docker.removeAllWithLabel("mo.node=" + firstNode());
        } finally {
            hosts.close();
        }
    }
}

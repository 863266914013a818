package dev.mo.cli;

import dev.mo.agent.AgentConfig;
import dev.mo.agent.AgentProcess;
import dev.mo.agent.NodeJoin;
import dev.mo.agent.NodeTls;
import dev.mo.api.HttpNodeApi;
import dev.mo.api.MoClient;
import dev.mo.security.JoinToken;
import dev.mo.proxy.ProxyOptions;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** How a host runs as a node: the flags {@code mo agent} and {@code mo server} (for its embedded agent) share. */
public final class NodeOptions {
    @Option(names = "--node-name", description = "This node's name (default: the host name)")
    String nodeName;

    @Option(names = "--address", description = "IP that containers publish their ports on and the agent listens on (default 127.0.0.1)")
    String address = AgentConfig.DEFAULT_ADDRESS;

    @Option(names = "--docker-host", description = "Docker endpoint (default unix:///var/run/docker.sock)")
    String dockerHost;

    @Option(names = "--ingress-port", description = "Port of this node's Ingress proxy on --address (default 8080; 0: none)")
    int ingressPort = 8080;

    @Option(names = "--proxy-max-body", description = "Largest request body the Ingress proxy accepts, in bytes (default 10485760); larger: 413")
    long proxyMaxBody = ProxyOptions.defaults().maxRequestBodyBytes();

    @Option(names = "--proxy-connect-timeout", description = "Seconds to connect to one endpoint before trying the next (default 2)")
    long proxyConnectTimeout = ProxyOptions.defaults().connectTimeout().toSeconds();

    @Option(names = "--proxy-timeout", description = "Seconds for an endpoint's response to start (default 60); then 504")
    long proxyTimeout = ProxyOptions.defaults().responseTimeout().toSeconds();

    @Option(names = "--firewall", description = "Let only the other nodes (and this one) reach the container ports published on --address:"
            + " an iptables chain MO-PUBLISHED-PORTS in Docker's DOCKER-USER chain, kept current as nodes join and leave")
    boolean firewall;

    /** This node's agent configuration; {@code dataDir} null for the default ({@code ~/.mo/agent-NODE}). */
    AgentConfig agentConfig(int agentPort, Path dataDir, NodeTls tls) {
        ProxyOptions proxy = ProxyOptions.defaults().withMaxRequestBodyBytes(proxyMaxBody)
                .withConnectTimeout(Duration.ofSeconds(proxyConnectTimeout)).withResponseTimeout(Duration.ofSeconds(proxyTimeout));
        AgentConfig.Builder config = AgentConfig.builder(nodeName()).address(address).httpPort(agentPort)
                .ingressPort(ingressPort).proxy(proxy).tls(tls).firewall(firewall);
        if (dockerHost != null && !dockerHost.isBlank()) config.dockerHost(dockerHost);
        if (dataDir != null) config.dataDir(dataDir);
        return config.build();
    }

    /**
     * This host's agent, joined to the API at {@code url}: its credentials from {@code dataDir}'s
     * {@code pki}, or from a join with {@code token} ({@link NodeJoin}); then started, speaking
     * mutual TLS. {@code mo server}'s embedded agent and {@code mo agent} both start this way.
     */
    AgentProcess joinAndStart(String url, Supplier<JoinToken> token, int agentPort, Path dataDir) {
        AgentConfig plain = agentConfig(agentPort, dataDir, null);
        NodeTls tls = NodeJoin.joinOrLoad(url, token, plain.nodeName(), List.of(plain.address()), plain.dataDir().resolve("pki"));
        MoClient client = new MoClient(url, "", tls.client());
        if (!client.healthy()) throw new MoClient.Unreachable("no mo server answers at " + url, null);
        return AgentProcess.start(plain.toBuilder().tls(tls).build(), new HttpNodeApi(client));
    }

    String nodeName() {
        if (nodeName != null && !nodeName.isBlank()) return nodeName;
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

package dev.mo.cli;

import dev.mo.agent.AgentConfig;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.nio.file.Path;
import java.net.UnknownHostException;
import java.util.Locale;

/** How a host runs as a node: the flags {@code mo agent} and {@code mo server} (for its embedded agent) share. */
public final class NodeOptions {
    @Option(names = "--node-name", description = "This node's name (default: the host name)")
    String nodeName;

    @Option(names = "--address", description = "IP that containers publish their ports on and the agent listens on (default 127.0.0.1)")
    String address = "127.0.0.1";

    @Option(names = "--docker-host", description = "Docker endpoint (default unix:///var/run/docker.sock)")
    String dockerHost;

    @Option(names = "--ingress-port", description = "Port of this node's Ingress proxy on --address (default 8080; 0: none)")
    int ingressPort = 8080;

    AgentConfig agentConfig(int agentPort, String token, Path dataDir) {
        return new AgentConfig(nodeName(), address, dockerHost, agentPort, token, null, null, dataDir, ingressPort);
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

package dev.mo.agent;

import dev.mo.proxy.ProxyOptions;
import dev.mo.runtime.DockerRuntime;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run one node agent.
 *
 * @param nodeName       the Node's name; pods with this {@code spec.nodeName} run here
 * @param address        IP the agent listens on and publishes container ports on (e.g. 127.0.0.1)
 * @param dockerHost     Docker endpoint, {@code unix:///var/run/docker.sock} by default
 * @param httpPort       port of the agent's HTTP endpoint (logs); 0 picks a free one
 * @param token          bearer token the control plane presents to the HTTP endpoint
 * @param resyncInterval how often to compare pods and containers even when nothing was announced
 * @param clock          time source (a test clock in tests)
 * @param dataDir        where the agent keeps files it mounts into containers (the pods' hosts
 *                       files); default {@code ~/.mo/agent-<node>}
 * @param ingressPort    port of the Ingress proxy on {@code address}; 0: no Ingress proxy on this node
 * @param proxy          request size limit, timeouts and threads of the Ingress proxy
 */
public record AgentConfig(String nodeName, String address, String dockerHost, int httpPort, String token,
                          Duration resyncInterval, Clock clock, Path dataDir, int ingressPort, ProxyOptions proxy) {
    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(1);

    public AgentConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        address = address == null || address.isBlank() ? "127.0.0.1" : address;
        dockerHost = dockerHost == null || dockerHost.isBlank() ? DockerRuntime.DEFAULT_HOST : dockerHost;
        token = token == null ? "" : token;
        resyncInterval = resyncInterval == null ? DEFAULT_RESYNC : resyncInterval;
        clock = clock == null ? Clock.systemUTC() : clock;
        dataDir = dataDir == null ? Path.of(System.getProperty("user.home"), ".mo", "agent-" + nodeName) : dataDir;
        // Files under it are bind-mounted into containers, and Docker takes only absolute host paths.
        dataDir = dataDir.toAbsolutePath().normalize();
        proxy = proxy == null ? ProxyOptions.defaults() : proxy;
    }

    /** Defaults for everything but the node's name, address and token: local Docker, ephemeral port, 1 s resync, no Ingress proxy. */
    public static AgentConfig of(String nodeName, String address, String token) {
        return new AgentConfig(nodeName, address, null, 0, token, null, null, null, 0, null);
    }

    public AgentConfig withHttpPort(int port) {
        return new AgentConfig(nodeName, address, dockerHost, port, token, resyncInterval, clock, dataDir, ingressPort, proxy);
    }

    public AgentConfig withDockerHost(String host) {
        return new AgentConfig(nodeName, address, host, httpPort, token, resyncInterval, clock, dataDir, ingressPort, proxy);
    }

    public AgentConfig withClock(Clock c) {
        return new AgentConfig(nodeName, address, dockerHost, httpPort, token, resyncInterval, c, dataDir, ingressPort, proxy);
    }

    public AgentConfig withResyncInterval(Duration d) {
        return new AgentConfig(nodeName, address, dockerHost, httpPort, token, d, clock, dataDir, ingressPort, proxy);
    }

    public AgentConfig withDataDir(Path dir) {
        return new AgentConfig(nodeName, address, dockerHost, httpPort, token, resyncInterval, clock, dir, ingressPort, proxy);
    }

    public AgentConfig withIngressPort(int port) {
        return new AgentConfig(nodeName, address, dockerHost, httpPort, token, resyncInterval, clock, dataDir, port, proxy);
    }
}

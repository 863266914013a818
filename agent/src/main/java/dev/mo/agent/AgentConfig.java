package dev.mo.agent;

import dev.mo.runtime.DockerRuntime;

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
 */
public record AgentConfig(String nodeName, String address, String dockerHost, int httpPort, String token,
                          Duration resyncInterval, Clock clock) {
    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(1);

    public AgentConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        address = address == null || address.isBlank() ? "127.0.0.1" : address;
        dockerHost = dockerHost == null || dockerHost.isBlank() ? DockerRuntime.DEFAULT_HOST : dockerHost;
        token = token == null ? "" : token;
        resyncInterval = resyncInterval == null ? DEFAULT_RESYNC : resyncInterval;
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** Defaults for everything but the node's name, address and token: local Docker, ephemeral port, 1 s resync. */
    public static AgentConfig of(String nodeName, String address, String token) {
        return new AgentConfig(nodeName, address, null, 0, token, null, null);
    }

    public AgentConfig withHttpPort(int port) {
        return new AgentConfig(nodeName, address, dockerHost, port, token, resyncInterval, clock);
    }

    public AgentConfig withDockerHost(String host) {
        return new AgentConfig(nodeName, address, host, httpPort, token, resyncInterval, clock);
    }

    public AgentConfig withClock(Clock c) {
        return new AgentConfig(nodeName, address, dockerHost, httpPort, token, resyncInterval, c);
    }

    public AgentConfig withResyncInterval(Duration d) {
        return new AgentConfig(nodeName, address, dockerHost, httpPort, token, d, clock);
    }
}

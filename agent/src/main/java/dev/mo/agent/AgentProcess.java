package dev.mo.agent;

import dev.mo.api.NodeApi;
import dev.mo.runtime.ContainerRuntime;
import dev.mo.runtime.DockerRuntime;

/**
 * A running node agent with everything it needs: the container runtime, the HTTP endpoint and the
 * loop. {@code mo agent} and {@code mo server} (which embeds one agent) both start it with
 * {@link #start(AgentConfig, NodeApi)} and close it on shutdown. Closing leaves containers running.
 */
public final class AgentProcess implements AutoCloseable {
    private final ContainerRuntime runtime;
    private final boolean ownsRuntime;
    private final AgentHttpServer http;
    private final NodeAgent agent;

    private AgentProcess(ContainerRuntime runtime, boolean ownsRuntime, AgentHttpServer http, NodeAgent agent) {
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        this.http = http;
        this.agent = agent;
    }

    /** Connects to Docker at {@link AgentConfig#dockerHost()} (fails clearly when it cannot), then starts. */
    public static AgentProcess start(AgentConfig config, NodeApi api) {
        DockerRuntime docker = DockerRuntime.connect(config.dockerHost());
        try {
            return start(config, api, docker, true);
        } catch (RuntimeException e) {
            docker.close();
            throw e;
        }
    }

    /** Starts over a runtime the caller owns (e.g. a {@link dev.mo.runtime.FakeRuntime} in a benchmark). */
    public static AgentProcess start(AgentConfig config, NodeApi api, ContainerRuntime runtime) {
        return start(config, api, runtime, false);
    }

    private static AgentProcess start(AgentConfig config, NodeApi api, ContainerRuntime runtime, boolean ownsRuntime) {
        AgentHttpServer http = AgentHttpServer.start(runtime, config.nodeName(), config.address(), config.httpPort(), config.token());
        try {
            NodeAgent agent = new NodeAgent(config, api, runtime, null, null, http.url());
            agent.start();
            return new AgentProcess(runtime, ownsRuntime, http, agent);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }

    /** Where the control plane reaches this agent ({@code http://ADDR:PORT}). */
    public String url() { return http.url(); }

    public NodeAgent agent() { return agent; }

    public ContainerRuntime runtime() { return runtime; }

    @Override
    public void close() {
        agent.close();
        http.close();
        if (ownsRuntime) runtime.close();
    }
}

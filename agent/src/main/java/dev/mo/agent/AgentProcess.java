package dev.mo.agent;

import dev.mo.agent.discovery.HostsFiles;
import dev.mo.agent.discovery.ServiceAddresses;
import dev.mo.agent.discovery.ServiceDirectory;
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
    private final RoutingWatcher routing;

    private AgentProcess(ContainerRuntime runtime, boolean ownsRuntime, AgentHttpServer http, NodeAgent agent,
                         RoutingWatcher routing) {
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        this.http = http;
        this.agent = agent;
        this.routing = routing;
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
            ServiceDirectory services = new ServiceDirectory(new HostsFiles(config.dataDir().resolve("hosts")));
            ServiceAddresses addresses = new ServiceAddresses();
            NodeAgent agent = new NodeAgent(config, api, runtime, null, null, http.url(),
                    services);
            RoutingWatcher routing = new RoutingWatcher(api, config.nodeName(), r -> {
                addresses.sync(clusterIps(r));
                services.update(r.services());
            });
            agent.start();
            routing.start();
            return new AgentProcess(runtime, ownsRuntime, http, agent, routing);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }

    /** Where the control plane reaches this agent ({@code http://ADDR:PORT}). */
    public String url() { return http.url(); }

    public NodeAgent agent() { return agent; }

    public ContainerRuntime runtime() { return runtime; }

    private static java.util.Set<String> clusterIps(NodeApi.Routing r) {
        java.util.Set<String> ips = new java.util.HashSet<>();
        for (var s : r.services()) {
            String ip = dev.mo.model.Json.text(s, "spec.clusterIP");
            if (ip != null && !ip.isEmpty() && !ip.equals("None")) ips.add(ip);
        }
        return ips;
    }

    @Override
    public void close() {
        routing.close();
        agent.close();
        http.close();
        if (ownsRuntime) runtime.close();
    }
}

package dev.mo.agent;

import dev.mo.agent.firewall.PublishedPortsFirewall;
import dev.mo.agent.discovery.HostsFiles;
import dev.mo.agent.discovery.ServiceAddresses;
import dev.mo.agent.discovery.ServiceDirectory;
import dev.mo.api.NodeApi;
import dev.mo.proxy.HttpProxy;
import dev.mo.proxy.RoutingTable;
import dev.mo.proxy.TcpProxy;
import dev.mo.runtime.ContainerRuntime;
import dev.mo.runtime.DockerRuntime;
import dev.mo.security.SecureFiles;

import java.util.Set;

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
    private final TcpProxy serviceProxy;
    private final HttpProxy ingressProxy;
    private final MetricsReporter metrics;

    private AgentProcess(ContainerRuntime runtime, boolean ownsRuntime, AgentHttpServer http, NodeAgent agent,
                         RoutingWatcher routing, TcpProxy serviceProxy, HttpProxy ingressProxy, MetricsReporter metrics) {
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        this.http = http;
        this.agent = agent;
        this.routing = routing;
        this.serviceProxy = serviceProxy;
        this.ingressProxy = ingressProxy;
        this.metrics = metrics;
    }

    /** Connects to Docker at {@link AgentConfig#dockerHost()} (fails clearly when it cannot), then starts. */
    public static AgentProcess start(AgentConfig config, NodeApi api) {
        DockerRuntime docker = DockerRuntime.connect(config.dockerHost());
        // Started without --firewall: rules an earlier run with it left would block the new peers.
        if (!config.firewall()) PublishedPortsFirewall.removeLeftovers(HostCommand.HOST);
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
        try {
            // Its files become pods' volumes (Secrets among them): other users of the host have no business there.
            SecureFiles.createPrivateDirectory(config.dataDir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot use the agent's data directory " + config.dataDir() + ": " + e.getMessage(), e);
        }
        AgentHttpServer http = AgentHttpServer.start(runtime, config.nodeName(), config.address(), config.httpPort(), config.token(),
                config.tls().map(NodeTls::serving).orElse(null));
        TcpProxy serviceProxy = new TcpProxy();
        HttpProxy ingressProxy = null;
        try {
            if (config.ingressPort() > 0) {
                ingressProxy = HttpProxy.start(config.address(), config.ingressPort(), config.proxy());
            }
            ServiceDirectory services = new ServiceDirectory(new HostsFiles(config.dataDir().resolve("hosts")));
            ServiceAddresses addresses = new ServiceAddresses();
            NodeAgent agent = new NodeAgent(config, api, runtime, null, null, http.url(), services);
            HttpProxy ingress = ingressProxy;
            RoutingWatcher routing = new RoutingWatcher(api, config.nodeName(), config.longPoll(), r -> {
                // Order matters: the addresses first, so the proxy can listen on them; names last,
                // so a name never points at an address nobody answers on.
                RoutingTable table = RoutingTable.build(r.services(), r.endpoints(), r.ingresses());
                Set<String> wanted = clusterIps(r);
                wanted.addAll(table.podAddresses());
                Set<String> owned = addresses.sync(wanted);
                serviceProxy.update(table.listeners(config.address()).stream()
                        .filter(l -> l.address().equals(config.address()) || owned.contains(l.address()))
                        .toList());
                if (ingress != null) ingress.update(table);
                services.update(r.services(), r.endpoints());
                agent.routingApplied(r); // pods being deleted wait for this to drop them
            });
            agent.start();
            routing.start();
            MetricsReporter metrics = new MetricsReporter(api, runtime, config.nodeName()).start();
            return new AgentProcess(runtime, ownsRuntime, http, agent, routing, serviceProxy, ingressProxy, metrics);
        } catch (RuntimeException e) {
            if (ingressProxy != null) ingressProxy.close();
            serviceProxy.close();
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

    /** Where this node's Ingress proxy listens, or -1 when it has none. */
    public int ingressPort() { return ingressProxy == null ? -1 : ingressProxy.port(); }

    @Override
    public void close() {
        metrics.close();
        routing.close();
        if (ingressProxy != null) ingressProxy.close();
        serviceProxy.close();
        agent.close();
        http.close();
        if (ownsRuntime) runtime.close();
    }
}

package dev.mo.agent;

import dev.mo.proxy.ProxyOptions;
import dev.mo.runtime.DockerRuntime;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run one node agent. Every option has a named default here and one path from the
 * command line: {@code NodeOptions} (cli) sets it on the {@link Builder}, and the code that
 * uses it reads the getter of the same name. Nothing is positional, and no {@code null} means
 * "default".
 */
public final class AgentConfig {
    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    /** How often pods and containers are compared even when nothing was announced. */
    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(1);
    /** How often the node reports itself alive; the control plane's grace period (40 s) is eight of these. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    /** How long one watch of the node's pods (and of the routing objects) waits on the server for a change. */
    public static final Duration DEFAULT_LONG_POLL = Duration.ofSeconds(10);

    private final String nodeName;
    private final String address;
    private final String dockerHost;
    private final int httpPort;
    private final String token;
    private final Duration resyncInterval;
    private final Duration heartbeatInterval;
    private final Duration longPoll;
    private final Clock clock;
    private final Path dataDir;
    private final int ingressPort;
    private final ProxyOptions proxy;
    private final NodeTls tls;
    private final boolean firewall;

    private AgentConfig(Builder b) {
        nodeName = b.nodeName;
        address = b.address;
        dockerHost = b.dockerHost;
        httpPort = b.httpPort;
        token = b.token;
        resyncInterval = b.resyncInterval;
        heartbeatInterval = b.heartbeatInterval;
        longPoll = b.longPoll;
        clock = b.clock;
        Path dir = b.dataDir != null ? b.dataDir : Path.of(System.getProperty("user.home"), ".mo", "agent-" + nodeName);
        // Files under it are bind-mounted into containers, and Docker takes only absolute host paths.
        dataDir = dir.toAbsolutePath().normalize();
        ingressPort = b.ingressPort;
        proxy = b.proxy;
        tls = b.tls;
        firewall = b.firewall;
    }

    /** A builder with every default: local Docker, address 127.0.0.1, an ephemeral endpoint port, no Ingress proxy. */
    public static Builder builder(String nodeName) {
        return new Builder(nodeName);
    }

    /** Shorthand for the three options most tests set. */
    public static AgentConfig of(String nodeName, String address, String token) {
        return builder(nodeName).address(address).token(token).build();
    }

    /** A builder holding this configuration, to change one option. */
    public Builder toBuilder() {
        return new Builder(nodeName).address(address).dockerHost(dockerHost).httpPort(httpPort).token(token)
                .resyncInterval(resyncInterval).heartbeatInterval(heartbeatInterval).longPoll(longPoll)
                .clock(clock).dataDir(dataDir).ingressPort(ingressPort).proxy(proxy).tls(tls).firewall(firewall);
    }

    /** The Node's name; pods with this {@code spec.nodeName} run here. */
    public String nodeName() { return nodeName; }
    /** IP the agent listens on and publishes container ports on (the node's cluster address). */
    public String address() { return address; }
    /** Docker endpoint, {@code unix:///var/run/docker.sock} by default. */
    public String dockerHost() { return dockerHost; }
    /** Port of the agent's HTTP endpoint (logs); 0 picks a free one. */
    public int httpPort() { return httpPort; }
    /** Bearer token the control plane presents to the agent's endpoint, and the agent to the API. */
    public String token() { return token; }
    public Duration resyncInterval() { return resyncInterval; }
    public Duration heartbeatInterval() { return heartbeatInterval; }
    public Duration longPoll() { return longPoll; }
    /** Time source (a test clock in tests). */
    public Clock clock() { return clock; }
    /** Where the agent keeps files it mounts into containers; default {@code ~/.mo/agent-NODE}. */
    public Path dataDir() { return dataDir; }
    /** Port of the Ingress proxy on {@link #address()}; 0: no Ingress proxy on this node. */
    public int ingressPort() { return ingressPort; }
    /** Request size limit, timeouts and threads of the Ingress proxy. */
    public ProxyOptions proxy() { return proxy; }
    /**
     * The node's TLS from its join ({@link NodeJoin}): {@code mo agent} and {@code mo server}
     * always have it. Empty only in tests that bind an agent to a control plane in memory;
     * the agent's endpoint then speaks plain HTTP and checks {@link #token()}.
     */
    public Optional<NodeTls> tls() { return Optional.ofNullable(tls); }
    /**
     * Whether the agent keeps an iptables chain that lets only the other nodes reach the
     * container ports it publishes ({@link dev.mo.agent.firewall.PublishedPortsFirewall}).
     */
    public boolean firewall() { return firewall; }

    public static final class Builder {
        private final String nodeName;
        private String address = DEFAULT_ADDRESS;
        private String dockerHost = DockerRuntime.DEFAULT_HOST;
        private int httpPort;
        private String token = "";
        private Duration resyncInterval = DEFAULT_RESYNC;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration longPoll = DEFAULT_LONG_POLL;
        private Clock clock = Clock.systemUTC();
        private Path dataDir;
        private int ingressPort;
        private ProxyOptions proxy = ProxyOptions.defaults();
        private NodeTls tls;
        private boolean firewall;

        private Builder(String nodeName) {
            this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        }

        public Builder address(String ip) { this.address = Objects.requireNonNull(ip, "address"); return this; }
        public Builder dockerHost(String url) { this.dockerHost = Objects.requireNonNull(url, "dockerHost"); return this; }
        public Builder httpPort(int port) { this.httpPort = port; return this; }
        public Builder token(String t) { this.token = Objects.requireNonNull(t, "token"); return this; }
        public Builder resyncInterval(Duration d) { this.resyncInterval = Objects.requireNonNull(d); return this; }
        public Builder heartbeatInterval(Duration d) { this.heartbeatInterval = Objects.requireNonNull(d); return this; }
        public Builder longPoll(Duration d) { this.longPoll = Objects.requireNonNull(d); return this; }
        public Builder clock(Clock c) { this.clock = Objects.requireNonNull(c); return this; }
        public Builder dataDir(Path dir) { this.dataDir = Objects.requireNonNull(dir, "dataDir"); return this; }
        public Builder ingressPort(int port) { this.ingressPort = port; return this; }
        public Builder proxy(ProxyOptions options) { this.proxy = Objects.requireNonNull(options); return this; }
        public Builder tls(NodeTls t) { this.tls = t; return this; }
        public Builder firewall(boolean on) { this.firewall = on; return this; }

        public AgentConfig build() {
            return new AgentConfig(this);
        }
    }
}

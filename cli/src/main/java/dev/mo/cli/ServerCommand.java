package dev.mo.cli;

import dev.mo.agent.AgentProcess;
import dev.mo.controller.NodeLifecycleController;
import dev.mo.controlplane.ControlPlane;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mo server}: the control plane, and by default an agent for this host in the same
 * process. The embedded agent talks to the API over HTTP like any remote agent, so there is
 * one code path.
 */
@Command(name = "server", description = "Run the control plane (and, unless --no-agent, an agent for this host).")
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--port", description = "API port (default 7070)")
    int port = 7070;

    @Option(names = "--bind", description = "API address (default 127.0.0.1)")
    String bind = "127.0.0.1";

    @Option(names = "--state-dir", description = "Where objects and the token are kept (env MO_STATE_DIR; default ~/.mo)")
    Path stateDir;

    @Option(names = "--tls-san", paramLabel = "NAME|IP",
            description = "Another name or address the API's certificate is for (repeatable); the bind address is always in it")
    List<String> tlsSans = new ArrayList<>();

    @Option(names = "--no-agent", description = "Run the control plane alone")
    boolean noAgent;

    @Mixin
    NodeOptions node;

    @Option(names = "--agent-port", description = "Port of the embedded agent's endpoint (default: any free one)")
    int agentPort;

    @Option(names = "--node-monitor-grace-period", paramLabel = "DURATION",
            description = "A node whose agent is silent this long turns NotReady and its pods stop getting traffic (default 40s)")
    String nodeMonitorGracePeriod = "40s";

    @Option(names = "--pod-eviction-timeout", paramLabel = "DURATION",
            description = "Pods on a NotReady node are deleted, and replaced elsewhere, after this long (default 5m)")
    String podEvictionTimeout = "5m";

    @Spec
    CommandSpec spec;

    /** Where this host reaches its own API: the bind address, or loopback when it binds every address. */
    private String apiHost() {
        if (bind.equals("0.0.0.0") || bind.equals("::")) return "127.0.0.1";
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

    @Override
    public Integer call() throws Exception {
        Path dir = ClientOptions.resolveStateDir(stateDir);
        NodeLifecycleController.Timing nodeTiming = new NodeLifecycleController.Timing(
                GoDuration.parse(nodeMonitorGracePeriod), GoDuration.parse(podEvictionTimeout));
        ControlPlane cp = ControlPlane.start(new ControlPlane.Config(dir, bind, port, Duration.ofSeconds(1),
                Clock.systemUTC(), nodeTiming, List.copyOf(tlsSans)));
        String url = "https://" + apiHost() + ":" + cp.port();
        AgentProcess agent = null;
        try {
            if (!noAgent) {
                // The embedded agent joins like any other: with the join token, over TLS.
                agent = node.joinAndStart(url, cp::joinToken, agentPort, dir.resolve("agent"));
            }
        } catch (RuntimeException e) {
            cp.close();
            throw e;
        }
        spec.commandLine().getErr().println("mo server is up: API on https://" + bind + ":" + cp.port()
                + (noAgent ? "" : ", agent for this host running") + "; state in " + dir
                + "; agents join with the token in " + dir.resolve("join-token"));
        spec.commandLine().getErr().flush();
        AgentProcess runningAgent = agent;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // A stop leaves the containers running: the next start adopts them.
            cp.endLongPolls(); // the embedded agent's watches return at once
            if (runningAgent != null) runningAgent.close();
            cp.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}

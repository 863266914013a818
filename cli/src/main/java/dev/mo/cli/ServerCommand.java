package dev.mo.cli;

import dev.mo.agent.AgentProcess;
import dev.mo.api.HttpNodeApi;
import dev.mo.api.MoClient;
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

    @Override
    public Integer call() throws Exception {
        Path dir = ClientOptions.resolveStateDir(stateDir);
        NodeLifecycleController.Timing nodeTiming = new NodeLifecycleController.Timing(
                GoDuration.parse(nodeMonitorGracePeriod), GoDuration.parse(podEvictionTimeout));
        ControlPlane cp = ControlPlane.start(new ControlPlane.Config(dir, bind, port, Duration.ofSeconds(1),
                Clock.systemUTC(), nodeTiming));
        AgentProcess agent = null;
        try {
            if (!noAgent) {
                String apiHost = bind.equals("0.0.0.0") ? "127.0.0.1" : bind;
                MoClient client = new MoClient("http://" + apiHost + ":" + cp.port(), cp.token());
                agent = AgentProcess.start(node.agentConfig(agentPort, cp.token(), dir.resolve("agent")), new HttpNodeApi(client));
            }
        } catch (RuntimeException e) {
            cp.close();
            throw e;
        }
        spec.commandLine().getErr().println("mo server is up: API on http://" + bind + ":" + cp.port()
                + (noAgent ? "" : ", agent for this host running") + "; state in " + dir);
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

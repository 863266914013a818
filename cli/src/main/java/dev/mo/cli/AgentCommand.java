package dev.mo.cli;

import dev.mo.agent.AgentConfig;
import dev.mo.agent.AgentProcess;
import dev.mo.api.HttpNodeApi;
import dev.mo.api.MoClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code mo agent}: runs the pods the control plane binds to this Docker host. */
@Command(name = "agent", description = "Run a node agent for this Docker host, joined to a mo server.")
public final class AgentCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "The mo server's API, e.g. http://10.0.0.1:7070 (env MO_SERVER)",
            defaultValue = "${env:MO_SERVER}")
    String server;

    @Option(names = "--token", required = true, description = "The server's token (env MO_TOKEN)",
            defaultValue = "${env:MO_TOKEN}")
    String token;

    @Mixin
    NodeOptions node;

    @Option(names = "--agent-port", description = "Port of this agent's endpoint (default 7071)")
    int agentPort = 7071;

    @Option(names = "--data-dir", description = "Files the agent mounts into containers (default ~/.mo/agent-NODE)")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String url = server.contains("://") ? server : "http://" + server;
        MoClient client = new MoClient(url, token);
        if (!client.healthy()) {
            throw new MoClient.Unreachable("no mo server answers at " + url, null);
        }
        AgentConfig config = node.agentConfig(agentPort, token, dataDir);
        AgentProcess agent = AgentProcess.start(config, new HttpNodeApi(client));
        spec.commandLine().getErr().println("mo agent " + config.nodeName() + " joined " + url);
        spec.commandLine().getErr().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}

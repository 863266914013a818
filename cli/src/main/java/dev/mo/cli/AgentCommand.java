package dev.mo.cli;

import dev.mo.agent.AgentProcess;
import dev.mo.agent.NodeJoin;
import dev.mo.security.JoinToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mo agent}: runs the pods the control plane binds to this Docker host. The first
 * start joins the cluster with the join token ({@link NodeJoin}); later starts use the
 * credentials kept in {@code DATA_DIR/pki} and need no token.
 */
@Command(name = "agent", description = "Run a node agent for this Docker host, joined to a mo server.")
public final class AgentCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "The mo server's API, e.g. https://10.0.0.1:7070 (env MO_SERVER)",
            defaultValue = "${env:MO_SERVER}")
    String server;

    @Option(names = "--join-token-file", paramLabel = "FILE",
            description = "File with the server's join token (the server writes it to STATE_DIR/join-token)")
    Path joinTokenFile;

    @Option(names = "--join-token", paramLabel = "TOKEN", defaultValue = "${env:MO_JOIN_TOKEN}",
            description = "The join token (env MO_JOIN_TOKEN); on the command line every user sees it in ps: prefer the file or the variable")
    String joinToken;

    @Mixin
    NodeOptions node;

    @Option(names = "--agent-port", description = "Port of this agent's endpoint (default 7071)")
    int agentPort = 7071;

    @Option(names = "--data-dir", description = "Files the agent mounts into containers, and its credentials (default ~/.mo/agent-NODE)")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String url = ClientOptions.serverUrl(server);
        AgentProcess agent = node.joinAndStart(url, this::token, agentPort, dataDir);
        spec.commandLine().getErr().println("mo agent " + node.nodeName() + " joined " + url);
        spec.commandLine().getErr().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** The join token from the file, the variable or the flag; null when none was given. */
    private JoinToken token() {
        String text = joinToken;
        if (joinTokenFile != null) {
            try {
                text = Files.readString(joinTokenFile).strip();
            } catch (IOException e) {
                throw new CliError("cannot read the join token file " + joinTokenFile + ": " + e.getMessage());
            }
        } else if (text != null && !text.isBlank() && !text.equals(System.getenv("MO_JOIN_TOKEN"))) {
            spec.commandLine().getErr().println("warning: a join token on the command line is visible to every user of this host"
                    + " (ps); use --join-token-file or MO_JOIN_TOKEN");
        }
        if (text == null || text.isBlank()) return null;
        try {
            return JoinToken.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliError("the join token is not valid: " + e.getMessage());
        }
    }
}

package dev.mo.cli;

import dev.mo.controlplane.ControlPlane;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A control plane of a test's own (HTTP on a free port, store in a temporary directory, the
 * controllers running, no agent), and {@code mo} commands run against it as a user runs them.
 */
final class LocalControlPlane implements AutoCloseable {
    record Run(int exit, String out, String err) {}

    final ControlPlane cp;
    final Path stateDir;
    final String server;

    private LocalControlPlane(ControlPlane cp, Path stateDir) {
        this.cp = cp;
        this.stateDir = stateDir;
        this.server = "https://127.0.0.1:" + cp.port();
    }

    static LocalControlPlane start(Path dir) {
        Path state = dir.resolve("state");
        return new LocalControlPlane(ControlPlane.start(new ControlPlane.Config(state, "127.0.0.1", 0,
                Duration.ofMillis(200), Clock.systemUTC(), dev.mo.controller.NodeLifecycleController.Timing.defaults(), List.of())), state);
    }

    Run mo(String... args) { return moAt(server, args); }

    /** An API client as the CLI makes one: the user's token, trusting the cluster CA of the state directory. */
    dev.mo.api.MoClient client() {
        return new dev.mo.api.MoClient(server, cp.token(), ClientOptions.clusterTrust(stateDir));
    }

    /** The same, against another address (to see what happens when no server answers there). */
    Run moAt(String serverUrl, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--server", serverUrl, "--state-dir", stateDir.toString()));
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), full.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Override
    public void close() { cp.close(); }
}

package dev.mo.examples;

import dev.mo.security.TrustedCa;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code mo} for end-to-end tests: {@code mo server} as a child process of the
 * test (so it can be killed with SIGKILL), and CLI commands run as the user runs them.
 */
final class MoProcess implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("mo.jar", "../cli/target/mo.jar")).toAbsolutePath();

    final Path stateDir;
    final int port;
    final String nodeName;
    /** Port of the node's Ingress proxy on {@link #address}; 0: none. */
    int ingressPort;
    /** Where the API listens and this node publishes its containers' ports and its Ingress. */
    String address = "127.0.0.1";
    private Process server;
    private final Path log;
    private final List<String> extraServerArgs = new ArrayList<>();

    /** A port nothing listens on right now, for a server or proxy of a test. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    MoProcess withIngressPort(int port) {
        this.ingressPort = port;
        return this;
    }

    /** The server's API, its node's ports and its Ingress on this address (e.g. its address on a test bridge). */
    MoProcess withAddress(String ip) {
        this.address = ip;
        return this;
    }

    String url() { return "https://" + address + ":" + port; }

    /** An HTTP client for the API that trusts the cluster CA, as the CLI does (the server must have started). */
    HttpClient apiClient() throws IOException {
        return HttpClient.newBuilder().sslContext(TrustedCa.clientContext(stateDir.resolve("pki/ca.crt"))).build();
    }

    /** More options for {@code mo server}, e.g. shorter node timings. */
    MoProcess withServerArgs(String... args) {
        extraServerArgs.addAll(List.of(args));
        return this;
    }

    MoProcess(Path stateDir, int port, String nodeName) {
        this.stateDir = stateDir;
        this.port = port;
        this.nodeName = nodeName;
        this.log = stateDir.resolve("server.log");
    }

    /** Starts {@code mo server} (with its embedded agent) and waits until its API answers. */
    MoProcess start() throws IOException, InterruptedException {
        Files.createDirectories(stateDir);
        // Started beside its state directory and given its relative name, as a user types it
        // (`mo server --state-dir state`): the pods' bind mounts must still get absolute paths.
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toString(), "server",
                "--state-dir", stateDir.getFileName().toString(), "--port", Integer.toString(port), "--bind", address,
                "--node-name", nodeName, "--address", address, "--ingress-port", Integer.toString(ingressPort)));
        cmd.addAll(extraServerArgs);
        server = new ProcessBuilder(cmd).directory(stateDir.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpClient http = null;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) throw new IllegalStateException("mo server exited: " + serverLog());
            try {
                // The API speaks TLS only; its CA appears in the state directory at first start.
                if (http == null && Files.exists(stateDir.resolve("pki/ca.crt"))) http = apiClient();
                if (http == null) {
                    Thread.sleep(100);
                    continue;
                }
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/healthz"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return this;
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("mo server did not answer within 30 s: " + serverLog());
    }

    /**
     * A second node: {@code mo agent} as another child process, joined to this server, its
     * containers' ports published on {@code address} (another 127.0.0.x), no Ingress proxy.
     * Waits until it has joined.
     */
    Process startAgent(String node, String address) throws IOException, InterruptedException {
        return startAgent(node, List.of(), List.of("--address", address, "--ingress-port", "0",
                "--agent-port", Integer.toString(freePort())));
    }

    /**
     * {@code mo agent} for node {@code node}, started through {@code prefix} (e.g. a command
     * that enters a test host's network namespace) with {@code nodeArgs}; waits until it has joined.
     */
    Process startAgent(String node, List<String> prefix, List<String> nodeArgs) throws IOException, InterruptedException {
        Path agentLog = stateDir.resolve("agent-" + node + ".log");
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("java", "-jar", JAR.toString(), "agent", "--server", url(),
                "--join-token-file", stateDir.resolve("join-token").toString(), "--node-name", node, "--data-dir", "agent-" + node));
        cmd.addAll(nodeArgs);
        Process agent = new ProcessBuilder(cmd)
                .directory(stateDir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(agentLog.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) throw new IllegalStateException("mo agent exited: " + Files.readString(agentLog));
            if (Files.readString(agentLog).contains("joined")) return agent;
            Thread.sleep(100);
        }
        throw new IllegalStateException("mo agent did not join within 30 s: " + Files.readString(agentLog));
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed on the way out. */
    void kill9() throws InterruptedException {
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
    }

    String serverLog() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() { return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err; }
    }

    /** Runs {@code mo ARGS} against this server, as a user would, and waits for it. */
    Result mo(String... args) throws IOException, InterruptedException {
        return moWithStdin(null, args);
    }

    Result moWithStdin(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MO_SERVER", url());
        pb.environment().put("MO_STATE_DIR", stateDir.toString());
        Path out = Files.createTempFile("mo-out", ".txt");
        Path err = Files.createTempFile("mo-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("mo " + String.join(" ", args) + " did not finish in 120 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }
}

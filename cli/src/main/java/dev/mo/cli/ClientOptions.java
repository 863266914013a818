package dev.mo.cli;

import dev.mo.api.MoClient;
import dev.mo.security.TrustedCa;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the control plane is, how to know it is the real one, and how to prove who we are.
 * The API speaks TLS only: its certificate is checked against the cluster CA in
 * {@code STATE_DIR/pki/ca.crt} (on the server's own machine it is there already; elsewhere,
 * copy it there). The token is read from the state directory too, or given with --token or
 * MO_TOKEN.
 */
public final class ClientOptions {
    static final String DEFAULT_SERVER = "https://127.0.0.1:7070";

    @Option(names = "--server", description = "API address (env MO_SERVER; default https://127.0.0.1:7070)")
    String server;

    @Option(names = "--token", description = "API token (env MO_TOKEN; default: read from the state directory)")
    String token;

    @Option(names = "--state-dir", description = "Where a local server keeps its state and token (env MO_STATE_DIR; default ~/.mo)")
    Path stateDir;

    @Option(names = {"-n", "--namespace"}, description = "Namespace (default: default)")
    String namespace;

    public MoClient client() {
        String url = serverUrl(firstNonBlank(server, System.getenv("MO_SERVER"), DEFAULT_SERVER));
        String t = firstNonBlank(token, System.getenv("MO_TOKEN"), null);
        if (t == null) t = readToken(stateDir());
        return new MoClient(url, t, clusterTrust(stateDir()));
    }

    /** {@code HOST:PORT} means https; plain http is refused, as the API speaks TLS only. */
    static String serverUrl(String given) {
        String url = given.contains("://") ? given : "https://" + given;
        if (url.startsWith("http://")) {
            throw new CliError("the mo API speaks TLS only: use https://" + url.substring("http://".length()));
        }
        return url;
    }

    /** Trusts the cluster CA kept in the state directory; without it, the JVM's default CAs. */
    static SSLContext clusterTrust(Path dir) {
        Path ca = dir.resolve("pki").resolve("ca.crt");
        if (!Files.exists(ca)) return null;
        try {
            return TrustedCa.clientContext(ca);
        } catch (IOException | RuntimeException e) {
            throw new CliError("cannot read the cluster CA " + ca + ": " + e.getMessage());
        }
    }

    public Path stateDir() { return resolveStateDir(stateDir); }

    /** The state directory, absolute: the embedded agent's files under it are bind-mounted into containers. */
    static Path resolveStateDir(Path given) {
        String env = System.getenv("MO_STATE_DIR");
        Path dir = given != null ? given
                : env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".mo");
        return dir.toAbsolutePath().normalize();
    }

    public String namespaceOrDefault() { return namespace == null ? "default" : namespace; }

    private static String readToken(Path dir) {
        try {
            Path f = dir.resolve("token");
            return Files.exists(f) ? Files.readString(f).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String firstNonBlank(String a, String b, String c) {
        if (a != null && !a.isBlank()) return a;
        if (b != null && !b.isBlank()) return b;
        return c;
    }
}

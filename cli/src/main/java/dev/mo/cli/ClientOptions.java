package dev.mo.cli;

import dev.mo.api.MoClient;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the control plane is and how to prove who we are. On the server's own machine the
 * token is read from the state directory; elsewhere it is given with --token or MO_TOKEN.
 */
public final class ClientOptions {
    @Option(names = "--server", description = "API address (env MO_SERVER; default http://127.0.0.1:7070)")
    String server;

    @Option(names = "--token", description = "API token (env MO_TOKEN; default: read from the state directory)")
    String token;

    @Option(names = "--state-dir", description = "Where a local server keeps its state and token (env MO_STATE_DIR; default ~/.mo)")
    Path stateDir;

    @Option(names = {"-n", "--namespace"}, description = "Namespace (default: default)")
    String namespace;

    public MoClient client() {
        String url = firstNonBlank(server, System.getenv("MO_SERVER"), "http://127.0.0.1:7070");
        if (!url.contains("://")) url = "http://" + url;
        String t = firstNonBlank(token, System.getenv("MO_TOKEN"), null);
        if (t == null) t = readToken(stateDir());
        return new MoClient(url, t);
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

package dev.mo.controlplane;

import dev.mo.api.ApiServer;
import dev.mo.controller.ControllerManager;
import dev.mo.controller.DeploymentController;
import dev.mo.controller.EndpointsController;
import dev.mo.controller.IngressController;
import dev.mo.controller.GarbageCollector;
import dev.mo.controller.HorizontalPodAutoscalerController;
import dev.mo.controller.NamespaceController;
import dev.mo.controller.NodeLifecycleController;
import dev.mo.controller.ReplicaSetController;
import dev.mo.scheduler.Scheduler;
import dev.mo.security.SecureFiles;
import dev.mo.security.ClusterCa;
import dev.mo.security.JoinToken;
import dev.mo.security.ServerCredentials;
import dev.mo.security.TrustedCa;
import dev.mo.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code mo server} without its agent: the store, the controllers, the scheduler and the
 * HTTP API, wired together. Everything it keeps lives in one state directory.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

    /**
     * @param tlsSans more names and addresses the server's certificate is for (besides the bind
     *                address, or every address of this host when it binds them all)
     */
    public record Config(Path stateDir, String bind, int port, Duration resync, Clock clock,
                         NodeLifecycleController.Timing nodeTiming, List<String> tlsSans) {
        public static Config defaults(Path stateDir) {
            return new Config(stateDir, "127.0.0.1", 7070, Duration.ofSeconds(1), Clock.systemUTC(),
                    NodeLifecycleController.Timing.defaults(), List.of());
        }
    }

    private final Store store;
    private final ObjectService objects;
    private final NodeService nodes;
    private final ControllerManager controllers;
    private final ApiServer api;
    private final String token;
    private final JoinToken joinToken;
    private final FileLock lock;

    private ControlPlane(Store store, Clock clock, Duration resync, NodeLifecycleController.Timing nodeTiming,
                         String token, ApiServer.Tls tls, FileLock lock) {
        this.store = store;
        this.objects = new ObjectService(store, clock);
        this.nodes = new NodeService(objects);
        this.token = token;
        this.joinToken = tls == null ? null : tls.joinToken();
        this.lock = lock;
        SystemObjects.ensureNamespaces(objects);
        this.controllers = new ControllerManager(store, resync);
        this.controllers.start(List.of(
                new DeploymentController(objects),
                new ReplicaSetController(objects),
                new dev.mo.controller.StatefulSetController(objects),
                new dev.mo.controller.JobController(objects),
                new dev.mo.controller.PersistentVolumeClaimController(objects),
                new Scheduler(objects),
                new GarbageCollector(objects),
                new NamespaceController(objects),
                new EndpointsController(objects),
                new IngressController(objects),
                new NodeLifecycleController(objects, nodeTiming),
                new HorizontalPodAutoscalerController(objects, nodes.metrics())));
        this.api = token == null ? null : new ApiServer(objects, nodes, token, tls);
    }

    /** Starts a control plane that keeps its state in {@code config.stateDir()} and serves the API. */
    public static ControlPlane start(Config config) {
        try {
            // It holds the CA's key, the tokens and the store (every Secret): the owner's alone.
            SecureFiles.createPrivateDirectory(config.stateDir());
            FileLock lock = lockStateDir(config.stateDir());
            String token = loadOrCreateToken(config.stateDir());
            ApiServer.Tls tls = loadOrCreateTls(config);
            Store store = Store.open(config.stateDir().resolve("store"));
            ControlPlane cp = new ControlPlane(store, config.clock(), config.resync(), config.nodeTiming(), token, tls, lock);
            cp.api.start(config.bind(), config.port());
            // Only now is the port known (0 asks for a free one); in memory there is no API to point at.
            SystemObjects.ensureApiService(cp.objects, SystemObjects.endpointAddress(config.bind()), cp.api.port());
            log.info("API listening on https://{}:{} (state in {})", config.bind(), cp.api.port(), config.stateDir());
            return cp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use state directory " + config.stateDir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A control plane in memory, without HTTP: agents bind to {@link #nodes()} directly. It has the
     * system namespaces but no {@code default/kubernetes} Service, as it has no API to point it at.
     */
    public static ControlPlane inMemory(Clock clock, Duration resync) {
        return inMemory(clock, resync, NodeLifecycleController.Timing.defaults());
    }

    public static ControlPlane inMemory(Clock clock, Duration resync, NodeLifecycleController.Timing nodeTiming) {
        return new ControlPlane(Store.inMemory(), clock, resync, nodeTiming, null, null, null);
    }

    /** Two servers on one state directory would overwrite each other's journal: refuse. */
    private static FileLock lockStateDir(Path dir) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve("lock"), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(SecureFiles.OWNER_ONLY));
        FileLock lock = ch.tryLock();
        if (lock == null) {
            ch.close();
            throw new IOException("another mo server is using it (lock file " + dir.resolve("lock") + ")");
        }
        return lock;
    }

    /**
     * The cluster CA ({@code STATE_DIR/pki/ca.crt}, which clients trust), the server's
     * certificate for its addresses, and the join token ({@code STATE_DIR/join-token}, 0600)
     * that carries the CA's fingerprint: all made at first start and kept.
     */
    private static ApiServer.Tls loadOrCreateTls(Config config) throws IOException {
        ClusterCa ca = ClusterCa.loadOrCreate(config.stateDir().resolve("pki"), config.clock());
        ServerCredentials serving = ca.serverCredentials(serverNames(config));
        ServerCredentials client = ca.serverClientCredentials();
        JoinToken join = JoinToken.loadOrCreate(config.stateDir().resolve("join-token"), ca.fingerprint(), new SecureRandom());
        SSLContext agentClient = TrustedCa.clientContext(ca.certificate(), client.key(), client.certificate());
        return new ApiServer.Tls(ca.serverContext(serving), agentClient, ca, join);
    }

    /** What the server's certificate names: the bind address (or, for 0.0.0.0, every address of the host) and --tls-san. */
    static List<String> serverNames(Config config) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        boolean wildcard = config.bind().equals("0.0.0.0") || config.bind().equals("::");
        if (!wildcard) names.add(config.bind());
        if (wildcard) {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (!a.isLinkLocalAddress()) names.add(a.getHostAddress().replaceAll("%.*$", ""));
                }
            }
        }
        String host = InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
        if (host.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) names.add(host);
        names.addAll(config.tlsSans());
        return List.copyOf(names);
    }

    /** The cluster token: made at first start, kept readable by its owner only (0600). */
    static String loadOrCreateToken(Path dir) throws IOException {
        Path file = dir.resolve("token");
        if (Files.exists(file)) return Files.readString(file).trim();
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        Path tmp = dir.resolve("token.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, token + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return token;
    }

    public ObjectService objects() { return objects; }

    public NodeService nodes() { return nodes; }

    public Store store() { return store; }

    public String token() { return token; }

    /** The token agents join with (null in memory, where there is no API). */
    public JoinToken joinToken() { return joinToken; }

    public int port() { return api.port(); }

    /**
     * Answers every long poll now and every later one at once: the first step of a shutdown, so
     * that agents (the embedded one included) and the API server's threads are not held for
     * the rest of a 10 s poll.
     */
    public void endLongPolls() {
        store.endWaits();
    }

    @Override
    public void close() {
        endLongPolls();
        if (api != null) api.close();
        controllers.close();
        store.close();
        if (lock != null) {
            try {
                lock.release();
                lock.channel().close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
    }
}

package dev.mo.controlplane;

import dev.mo.model.Meta;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.scheduler.Scheduler;
import dev.mo.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
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
import java.util.List;

/**
 * {@code mo server} without its agent: the store, the controllers, the scheduler and the
 * HTTP API, wired together. Everything it keeps lives in one state directory.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

    public record Config(Path stateDir, String bind, int port, Duration resync, Clock clock,
                         NodeLifecycleController.Timing nodeTiming) {
        public static Config defaults(Path stateDir) {
            return new Config(stateDir, "127.0.0.1", 7070, Duration.ofSeconds(1), Clock.systemUTC(),
                    NodeLifecycleController.Timing.defaults());
        }
    }

    private final Store store;
    private final ObjectService objects;
    private final NodeService nodes;
    private final ControllerManager controllers;
    private final ApiServer api;
    private final String token;
    private final FileLock lock;

    private ControlPlane(Store store, Clock clock, Duration resync, NodeLifecycleController.Timing nodeTiming,
                         String token, FileLock lock) {
        this.store = store;
        this.objects = new ObjectService(store, clock);
        this.nodes = new NodeService(objects);
        this.token = token;
        this.lock = lock;
        ensureDefaultNamespace();
        this.controllers = new ControllerManager(store, resync);
        this.controllers.start(List.of(
                new DeploymentController(objects),
                new ReplicaSetController(objects),
                new dev.mo.controller.StatefulSetController(objects),
                new dev.mo.controller.PersistentVolumeClaimController(objects),
                new Scheduler(objects),
                new GarbageCollector(objects),
                new NamespaceController(objects),
                new EndpointsController(objects),
                new IngressController(objects),
                new NodeLifecycleController(objects, nodeTiming),
                new HorizontalPodAutoscalerController(objects, nodes.metrics())));
        this.api = token == null ? null : new ApiServer(objects, nodes, token);
    }

    /** Starts a control plane that keeps its state in {@code config.stateDir()} and serves the API. */
    public static ControlPlane start(Config config) {
        try {
            Files.createDirectories(config.stateDir());
            FileLock lock = lockStateDir(config.stateDir());
            String token = loadOrCreateToken(config.stateDir());
            Store store = Store.open(config.stateDir().resolve("store"));
            ControlPlane cp = new ControlPlane(store, config.clock(), config.resync(), config.nodeTiming(), token, lock);
            cp.api.start(config.bind(), config.port());
            log.info("API listening on http://{}:{} (state in {})", config.bind(), cp.api.port(), config.stateDir());
            return cp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use state directory " + config.stateDir() + ": " + e.getMessage(), e);
        }
    }

    /** A control plane in memory, without HTTP: agents bind to {@link #nodes()} directly. */
    public static ControlPlane inMemory(Clock clock, Duration resync) {
        return inMemory(clock, resync, NodeLifecycleController.Timing.defaults());
    }

    public static ControlPlane inMemory(Clock clock, Duration resync, NodeLifecycleController.Timing nodeTiming) {
        return new ControlPlane(Store.inMemory(), clock, resync, nodeTiming, null, null);
    }

    /** Two servers on one state directory would overwrite each other's journal: refuse. */
    private static FileLock lockStateDir(Path dir) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.tryLock();
        if (lock == null) {
            ch.close();
            throw new IOException("another mo server is using it (lock file " + dir.resolve("lock") + ")");
        }
        return lock;
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

    private void ensureDefaultNamespace() {
        if (store.get(Kind.NAMESPACE, null, ObjectService.DEFAULT_NAMESPACE).isEmpty()) {
            objects.create(Meta.newObject(Kind.NAMESPACE, null, ObjectService.DEFAULT_NAMESPACE), true);
        }
    }

    public ObjectService objects() { return objects; }

    public NodeService nodes() { return nodes; }

    public Store store() { return store; }

    public String token() { return token; }

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

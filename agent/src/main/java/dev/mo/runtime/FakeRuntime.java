package dev.mo.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory container engine. Containers "run" until told otherwise; faults are scripted:
 * missing or unpullable images, a start that fails, a container that exits after some time or
 * at once, an OOM kill, a container removed behind the agent's back. Time comes from the
 * {@link Clock} given, so tests drive it with a test clock. Thread-safe (one lock), fast enough
 * for benchmarks with thousands of pods. Lives in src/main because the control plane's
 * benchmark runs over it.
 */
public final class FakeRuntime implements ContainerRuntime {
    private final Clock clock;
    private final Map<String, FakeContainer> containers = new LinkedHashMap<>();
    private final Set<String> missingImages = new HashSet<>();
    private final Map<String, String> unpullableImages = new HashMap<>();
    private final Map<String, String> startFailures = new HashMap<>();
    private final Map<String, ScriptedExit> scriptedExits = new HashMap<>();
    private final List<Consumer<String>> exitListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Long> cpuMillicores = new HashMap<>();   // by container name: scripted usage
    private final Map<String, Long> memoryBytes = new HashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicInteger nextPort = new AtomicInteger(32768);
    private final AtomicInteger starts = new AtomicInteger();
    private final List<String> pulls = new CopyOnWriteArrayList<>();
    private final Map<String, java.util.function.Function<List<String>, ExecResult>> execScripts = new HashMap<>();

    public FakeRuntime(Clock clock) {
        this.clock = clock;
    }

    public FakeRuntime() {
        this(Clock.systemUTC());
    }

    private static final class FakeContainer {
        final ContainerSpec spec;
        final String id;
        final Instant createdAt;
        final String ip;
        final Map<String, String> published = new LinkedHashMap<>();
        final StringBuilder log = new StringBuilder();
        ContainerInfo.State state = ContainerInfo.State.CREATED;
        int exitCode;
        boolean oomKilled;
        String error = "";
        Instant startedAt;
        Instant finishedAt;
        Instant exitsAt;       // scripted exit time, null = runs forever
        int scriptedExitCode;

        FakeContainer(ContainerSpec spec, String id, Instant createdAt, String ip) {
            this.spec = spec;
            this.id = id;
            this.createdAt = createdAt;
            this.ip = ip;
        }
    }

    private record ScriptedExit(Duration after, int exitCode) {}

    // ---- scripting -------------------------------------------------------------------------

    /** The image is not in the local store (a pull may still fetch it unless {@link #failPulls}). */
    public synchronized FakeRuntime removeImage(String image) {
        missingImages.add(image);
        return this;
    }

    /** Pulls of this image fail with {@code message}. */
    public synchronized FakeRuntime failPulls(String image, String message) {
        unpullableImages.put(image, message);
        return this;
    }

    /** The next start of containers named {@code containerName} (the pod's container name) fails. */
    public synchronized FakeRuntime failNextStart(String containerName, String message) {
        startFailures.put(containerName, message);
        return this;
    }

    /** Every container named {@code containerName} started from now on exits with {@code exitCode} after {@code after}. */
    public synchronized FakeRuntime exitAfter(String containerName, Duration after, int exitCode) {
        scriptedExits.put(containerName, new ScriptedExit(after, exitCode));
        return this;
    }

    /** Stops scripting exits for containers named {@code containerName}. */
    public synchronized FakeRuntime runForever(String containerName) {
        scriptedExits.remove(containerName);
        return this;
    }

    /** The container's process exits now with {@code exitCode}. */
    public void exitNow(String containerId, int exitCode) {
        synchronized (this) {
            FakeContainer c = containers.get(containerId);
            if (c == null || c.state != ContainerInfo.State.RUNNING) return;
            exit(c, exitCode, clock.instant());
        }
        notifyExit(containerId);
    }

    /** The kernel kills the container for exceeding its memory limit (exit code 137 = 128 + SIGKILL). */
    public void oomKill(String containerId) {
        synchronized (this) {
            FakeContainer c = containers.get(containerId);
            if (c == null || c.state != ContainerInfo.State.RUNNING) return;
            c.oomKilled = true;
            exit(c, 137, clock.instant());
        }
        notifyExit(containerId);
    }

    /**
     * What commands run by {@link #exec} in containers named {@code containerName} (the pod's
     * container name) return from now on. Unscripted commands exit 0 with no output.
     */
    public synchronized FakeRuntime onExec(String containerName, java.util.function.Function<List<String>, ExecResult> script) {
        execScripts.put(containerName, script);
        return this;
    }

    /** Adds text to a container's log, as if the process wrote it. */
    public synchronized void appendLog(String containerId, String text) {
        FakeContainer c = containers.get(containerId);
        if (c != null) c.log.append(text);
    }

    /** How many containers were started so far. */
    /**
     * Scripts the usage of containers named {@code containerName} (the pod's container name): they burn
     * {@code millicores} of CPU (cumulative CPU time grows with the fake clock) and use {@code bytes}.
     */
    public synchronized FakeRuntime usage(String containerName, long millicores, long bytes) {
        cpuMillicores.put(containerName, millicores);
        memoryBytes.put(containerName, bytes);
        return this;
    }

    @Override
    public synchronized Optional<ContainerStats> stats(String containerId) {
        FakeContainer c = containers.get(containerId);
        if (c == null || c.state != ContainerInfo.State.RUNNING) return Optional.empty();
        Instant now = clock.instant();
        String name = c.spec.labels().getOrDefault("mo.container", c.spec.name());
        long millicores = cpuMillicores.getOrDefault(name, 0L);
        long nanos = Duration.between(c.startedAt, now).toNanos() / 1000 * millicores;
        return Optional.of(new ContainerStats(nanos, memoryBytes.getOrDefault(name, 0L), now));
    }

    public int startCount() { return starts.get(); }

    /** What a container was created with (mounts, resources, ...), or null when it does not exist. */
    public synchronized ContainerSpec spec(String containerId) {
        FakeContainer c = containers.get(containerId);
        return c == null ? null : c.spec;
    }

    /** Images pulled so far, in order. */
    public List<String> pulls() { return List.copyOf(pulls); }

    // ---- ContainerRuntime --------------------------------------------------------------------

    @Override
    public EngineInfo engineInfo() {
        return new EngineInfo(4, 8L * 1024 * 1024 * 1024, "fake-1.0", "FakeOS", "amd64", "fake-kernel");
    }

    @Override
    public synchronized boolean imagePresent(String image) {
        return !missingImages.contains(image);
    }

    /** The fake keeps no image store to list: every image but the removed ones counts as present. */
    @Override
    public List<ImageInfo> images() {
        return List.of();
    }

    @Override
    public synchronized Optional<String> imageId(String image) {
        return imagePresent(image) ? Optional.of(fakeImageId(image)) : Optional.empty();
    }

    /** Image archives are Docker's format; the fake has none (transfers are tested on real engines). */
    @Override
    public void saveImage(String image, java.io.OutputStream out) {
        throw new RuntimeOperationException("the fake runtime keeps no image archives");
    }

    @Override
    public void loadImage(java.nio.file.Path archive) {
        throw new RuntimeOperationException("the fake runtime keeps no image archives");
    }

    private static String fakeImageId(String image) {
        return "sha256:fake-" + Math.abs(image.hashCode());
    }

    @Override
    public synchronized void pullImage(String image) {
        pulls.add(image);
        String failure = unpullableImages.get(image);
        if (failure != null) throw new RuntimeOperationException(failure);
        missingImages.remove(image);
    }

    @Override
    public String createAndStart(ContainerSpec spec) {
        synchronized (this) {
            if (missingImages.contains(spec.image())) {
                throw new RuntimeOperationException("No such image: " + spec.image());
            }
            containers.values().removeIf(other -> other.spec.name().equals(spec.name())); // as Docker's name conflict + replace
            String id = String.format("%064x", nextId.getAndIncrement());
            Instant now = clock.instant();
            int n = containers.size();
            FakeContainer c = new FakeContainer(spec, id, now, "172.17." + (n / 250) + "." + (2 + n % 250));
            containers.put(id, c);
            String container = spec.labels().getOrDefault("mo.container", spec.name());
            String failure = startFailures.remove(container);
            if (failure != null) {
                c.state = ContainerInfo.State.EXITED;
                c.exitCode = 128;
                c.error = failure;
                c.finishedAt = now;
                throw new RuntimeOperationException(failure, id, null);
            }
            for (PortSpec p : spec.ports()) {
                c.published.put(p.key(), spec.publishAddress() + ":" + nextPort.getAndIncrement());
            }
            c.state = ContainerInfo.State.RUNNING;
            c.startedAt = now;
            c.log.append("fake container ").append(spec.name()).append(" started\n");
            ScriptedExit script = scriptedExits.get(container);
            if (script != null) {
                c.exitsAt = now.plus(script.after());
                c.scriptedExitCode = script.exitCode();
            }
            starts.incrementAndGet();
            return id;
        }
    }

    @Override
    public void stop(String containerId, int graceSeconds) {
        synchronized (this) {
            FakeContainer c = containers.get(containerId);
            if (c == null) return;
            advance(c);
            if (c.state != ContainerInfo.State.RUNNING) return;
            exit(c, 143, clock.instant()); // 128 + SIGTERM: the fake process honours the signal at once
        }
        notifyExit(containerId);
    }

    @Override
    public void remove(String containerId) {
        boolean removed;
        synchronized (this) {
            removed = containers.remove(containerId) != null;
        }
        if (removed) notifyExit(containerId);
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        java.util.function.Function<List<String>, ExecResult> script;
        synchronized (this) {
            FakeContainer c = containers.get(containerId);
            if (c == null) throw new RuntimeOperationException("No such container: " + containerId);
            advance(c);
            if (c.state != ContainerInfo.State.RUNNING) {
                throw new RuntimeOperationException("Container " + containerId + " is not running", containerId, null);
            }
            script = execScripts.get(c.spec.labels().getOrDefault("mo.container", c.spec.name()));
        }
        return script == null ? ExecResult.exited(0, "") : script.apply(command); // outside the lock: a script may block
    }

    @Override
    public synchronized List<ContainerInfo> list(Map<String, String> labels) {
        List<ContainerInfo> out = new ArrayList<>();
        for (FakeContainer c : containers.values()) {
            if (c.spec.labels().entrySet().containsAll(labels.entrySet())) {
                advance(c);
                out.add(info(c));
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<ContainerInfo> inspect(String containerId) {
        FakeContainer c = containers.get(containerId);
        if (c == null) return Optional.empty();
        advance(c);
        return Optional.of(info(c));
    }

    @Override
    public void logs(String containerId, LogOptions options, OutputStream out) throws IOException {
        String text;
        synchronized (this) {
            FakeContainer c = containers.get(containerId);
            if (c == null) throw new IOException("container " + containerId + " not found");
            text = c.log.toString();
        }
        if (options.tailLines() >= 0) {
            String[] lines = text.split("(?<=\n)");
            int from = Math.max(0, lines.length - options.tailLines());
            text = String.join("", java.util.Arrays.copyOfRange(lines, from, lines.length));
        }
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush(); // the fake never follows: its processes write nothing after start
    }

    @Override
    public AutoCloseable watchContainerExits(Map<String, String> labels, Consumer<String> listener) {
        exitListeners.add(listener);
        return () -> exitListeners.remove(listener);
    }

    @Override
    public void close() {
        exitListeners.clear();
    }

    // ---- internals ---------------------------------------------------------------------------

    /** Applies a scripted exit whose time has come. */
    private void advance(FakeContainer c) {
        if (c.state == ContainerInfo.State.RUNNING && c.exitsAt != null && !clock.instant().isBefore(c.exitsAt)) {
            exit(c, c.scriptedExitCode, c.exitsAt);
        }
    }

    private static void exit(FakeContainer c, int code, Instant at) {
        c.state = ContainerInfo.State.EXITED;
        c.exitCode = code;
        c.finishedAt = at;
        c.exitsAt = null;
    }

    private void notifyExit(String containerId) {
        for (Consumer<String> l : exitListeners) l.accept(containerId);
    }

    private static ContainerInfo info(FakeContainer c) {
        return new ContainerInfo(c.id, c.spec.name(), c.spec.image(), fakeImageId(c.spec.image()),
                Map.copyOf(c.spec.labels()), c.state, c.exitCode, c.oomKilled, c.error,
                c.createdAt, c.startedAt, c.finishedAt,
                c.state == ContainerInfo.State.RUNNING ? c.ip : "", Map.copyOf(c.published));
    }
}

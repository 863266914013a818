package dev.mo.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link ContainerRuntime} over a Docker engine's HTTP API (docker-java), pinned to API 1.41
 * (Docker 20.10) so that a too-old engine is a clear error at start, not odd failures later.
 *
 * <p>Two HTTP clients: {@code api} for short calls, with a response timeout so a hung engine cannot
 * hang the agent; {@code streams} without one, for calls that legitimately take long (following
 * logs, the event stream, {@code stop} waiting out a grace period, pulls).
 */
public final class DockerRuntime implements ContainerRuntime {
    private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    private static final Duration API_TIMEOUT = Duration.ofSeconds(60);

    private final String host;
    private final DockerClient api;
    private final DockerClient streams;
    /**
     * The last inspection of each running container. While a container runs, what an inspection
     * tells (labels, address, ports, start time) does not change, and the list call says whether
     * it still runs: so a sync makes one list call, not one inspection per container as well.
     */
    private final Map<String, ContainerInfo> runningInspected = new ConcurrentHashMap<>();
    /**
     * Containers the engine announced as dead. The list call answers from a view the engine
     * updates a little after its {@code die} event (~50 ms here), so for these the list's
     * "running" is not believed: they are inspected until they are destroyed.
     */
    private final Set<String> died = ConcurrentHashMap.newKeySet();

    private DockerRuntime(String host, DockerClient api, DockerClient streams) {
        this.host = host;
        this.api = api;
        this.streams = streams;
    }

    /** Connects to {@code dockerHost} (e.g. {@code unix:///var/run/docker.sock}) and checks the engine answers. */
    public static DockerRuntime connect(String dockerHost) {
        String host = dockerHost == null || dockerHost.isBlank() ? DEFAULT_HOST : dockerHost;
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .withApiVersion(RemoteApiVersion.VERSION_1_41)
                .build();
        DockerClient api = client(config, API_TIMEOUT);
        DockerClient streams = client(config, null);
        DockerRuntime runtime = new DockerRuntime(host, api, streams);
        runtime.checkEngine();
        return runtime;
    }

    private static DockerClient client(DockerClientConfig config, Duration responseTimeout) {
        ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5));
        if (responseTimeout != null) http.responseTimeout(responseTimeout); // null = wait as long as it takes
        return DockerClientImpl.getInstance(config, http.build());
    }

    private void checkEngine() {
        try {
            api.pingCmd().exec();
            Version v = api.versionCmd().exec();
            if (RemoteApiVersion.parseConfig(v.getApiVersion()).isGreaterOrEqual(RemoteApiVersion.VERSION_1_41)) {
                log.info("connected to Docker {} (API {}) at {}", v.getVersion(), v.getApiVersion(), host);
            } else {
                close();
                throw new IllegalStateException("Docker at " + host + " speaks API " + v.getApiVersion()
                        + "; mo needs 1.41 (Docker 20.10) or newer");
            }
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException) throw e;
            close();
            throw new IllegalStateException("cannot reach Docker at " + host + ": " + e.getMessage(), e);
        }
    }

    @Override
    public EngineInfo engineInfo() {
        Info info = api.infoCmd().exec();
        return new EngineInfo(info.getNCPU() == null ? 1 : info.getNCPU(),
                info.getMemTotal() == null ? 0 : info.getMemTotal(),
                info.getServerVersion(), info.getOperatingSystem(),
                EngineInfo.goArchitecture(info.getArchitecture()), info.getKernelVersion());
    }

    @Override
    public boolean imagePresent(String image) {
        try {
            api.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public List<ImageInfo> images() {
        List<ImageInfo> out = new ArrayList<>();
        for (Image i : api.listImagesCmd().exec()) {
            List<String> tags = i.getRepoTags() == null ? List.of()
                    : Arrays.stream(i.getRepoTags()).filter(t -> !t.equals("<none>:<none>")).toList();
            out.add(new ImageInfo(i.getId(), tags, i.getSize() == null ? 0 : i.getSize()));
        }
        return out;
    }

    @Override
    public Optional<String> imageId(String image) {
        try {
            return Optional.ofNullable(api.inspectImageCmd(image).exec().getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void saveImage(String image, OutputStream out) throws IOException {
        ImageRef ref = ImageRef.parse(image);
        try (InputStream archive = streams.saveImageCmd(ref.repository()).withTag(ref.tag()).exec()) {
            archive.transferTo(out);
        } catch (NotFoundException e) {
            throw new RuntimeOperationException("No such image: " + image);
        }
    }

    @Override
    public void loadImage(java.nio.file.Path archive) {
        try (InputStream in = java.nio.file.Files.newInputStream(archive)) {
            streams.loadImageCmd(in).exec();
        } catch (IOException e) {
            throw new RuntimeOperationException("cannot read " + archive + ": " + e.getMessage(), null, e);
        } catch (RuntimeException e) {
            throw new RuntimeOperationException(engineMessage(e), null, e);
        }
    }

    @Override
    public void pullImage(String image) {
        ImageRef ref = ImageRef.parse(image);
        Throwable[] failure = new Throwable[1];
        try {
            streams.pullImageCmd(ref.repository()).withTag(ref.tag())
                    .exec(new PullImageResultCallback() {
                        @Override
                        public void onError(Throwable t) { // keep it for the caller instead of docker-java's ERROR log
                            failure[0] = t;
                            try { close(); } catch (IOException ignored) { }
                        }
                    }).awaitCompletion(10, TimeUnit.MINUTES);
            if (failure[0] != null) throw new RuntimeOperationException(engineMessage(failure[0]), null, failure[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeOperationException("pull of " + image + " interrupted");
        } catch (RuntimeOperationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RuntimeOperationException(engineMessage(e), null, e);
        }
    }

    @Override
    public String createAndStart(ContainerSpec spec) {
        String id;
        try {
            id = create(spec);
        } catch (ConflictException e) {
            // A container with this name is left over (an earlier attempt died half-way): replace it.
            log.info("container name {} already in use; removing the old container", spec.name());
            remove(spec.name());
            id = create(spec);
        } catch (NotFoundException e) {
            throw new RuntimeOperationException(engineMessage(e), null, e);
        }
        try {
            api.startContainerCmd(id).exec();
        } catch (DockerException e) {
            throw new RuntimeOperationException(engineMessage(e), id, e);
        }
        return id;
    }

    private String create(ContainerSpec spec) {
        Ports bindings = new Ports();
        List<ExposedPort> exposed = new ArrayList<>();
        for (PortSpec p : spec.ports()) {
            ExposedPort port = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol().toLowerCase(Locale.ROOT)));
            exposed.add(port);
            bindings.bind(port, Ports.Binding.bindIp(spec.publishAddress())); // no host port: Docker picks a free one
        }
        List<String> env = new ArrayList<>();
        spec.env().forEach((k, v) -> env.add(k + "=" + v));
        CreateContainerCmd cmd = api.createContainerCmd(spec.image())
                .withName(spec.name())
                .withLabels(spec.labels())
                .withEnv(env)
                .withExposedPorts(exposed)
                .withHostConfig(resources(HostConfig.newHostConfig().withPortBindings(bindings).withBinds(binds(spec)), spec.resources()));
        if (spec.hostname() != null) cmd.withHostName(spec.hostname());
        if (spec.command() != null) cmd.withEntrypoint(spec.command());
        if (spec.args() != null) cmd.withCmd(spec.args());
        if (spec.workingDir() != null) cmd.withWorkingDir(spec.workingDir());
        return cmd.exec().getId();
    }

    private List<Bind> binds(ContainerSpec spec) {
        List<Bind> binds = new ArrayList<>();
        for (ContainerSpec.Mount m : spec.mounts()) {
            String source = m.hostPath();
            if (m.isVolume()) {
                String mountpoint = ensureVolume(m.volumeName());
                // API 1.41 has no volume subpath: bind the directory inside the volume (Docker creates it when absent).
                source = m.subPath() == null ? m.volumeName() : mountpoint + "/" + m.subPath();
            }
            binds.add(new Bind(source, new Volume(m.containerPath()), m.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        return binds;
    }

    /** The named volume's mountpoint on the engine's host; the volume is created (labelled mo.managed) when absent. */
    private String ensureVolume(String name) {
        try {
            return api.inspectVolumeCmd(name).exec().getMountpoint();
        } catch (NotFoundException absent) {
            log.info("creating volume {}", name);
            return api.createVolumeCmd().withName(name).withLabels(Map.of("mo.managed", "true")).exec().getMountpoint();
        }
    }

    private static HostConfig resources(HostConfig host, ContainerSpec.Resources r) {
        if (r.cpuShares() != null) host.withCpuShares(r.cpuShares().intValue());
        if (r.cpuPeriod() != null) host.withCpuPeriod(r.cpuPeriod());
        if (r.cpuQuota() != null) host.withCpuQuota(r.cpuQuota());
        if (r.memoryBytes() != null) host.withMemory(r.memoryBytes()).withMemorySwap(r.memoryBytes());
        return host;
    }

    @Override
    public void stop(String containerId, int graceSeconds) {
        try {
            streams.stopContainerCmd(containerId).withTimeout(Math.max(0, graceSeconds)).exec();
        } catch (NotFoundException | NotModifiedException e) {
            // already gone or already stopped: nothing to do
        }
    }

    @Override
    public void remove(String containerId) {
        forgetInspection(containerId, true);
        try {
            api.removeContainerCmd(containerId).withForce(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (ConflictException e) {
            // "removal already in progress": the engine will finish it
        }
    }

    /**
     * {@code GET /containers/{id}/stats?stream=false}: the engine answers with one sample and
     * closes the response, so the callback completes (a streaming read would never end).
     */
    @Override
    public Optional<ContainerStats> stats(String containerId) {
        java.util.concurrent.atomic.AtomicReference<com.github.dockerjava.api.model.Statistics> first =
                new java.util.concurrent.atomic.AtomicReference<>();
        ResultCallback.Adapter<com.github.dockerjava.api.model.Statistics> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.Statistics s) { first.compareAndSet(null, s); }

            @Override
            public void onError(Throwable t) {
                // A container removed while its sample was asked for: no sample, and not an error
                // worth the log line the adapter would write.
                if (t instanceof NotFoundException) onComplete(); else super.onError(t);
            }
        };
        try (callback) {
            streams.statsCmd(containerId).withNoStream(true).exec(callback).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException e) {
            // closing the callback failed: the sample, if any, is still good
        }
        var s = first.get();
        if (s == null || s.getCpuStats() == null || s.getCpuStats().getCpuUsage() == null
                || s.getCpuStats().getCpuUsage().getTotalUsage() == null) {
            return Optional.empty(); // a stopped container has no cpu numbers
        }
        long cpu = s.getCpuStats().getCpuUsage().getTotalUsage();
        long memory = 0;
        var mem = s.getMemoryStats();
        if (mem != null && mem.getUsage() != null) {
            memory = mem.getUsage();
            var detail = mem.getStats();
            Long inactive = detail == null ? null
                    : detail.getTotalInactiveFile() != null ? detail.getTotalInactiveFile() : detail.getInactiveFile();
            if (inactive != null && inactive < memory) memory -= inactive;
        }
        Instant at;
        try {
            at = s.getRead() == null ? Instant.now() : Instant.parse(s.getRead());
        } catch (DateTimeParseException e) {
            at = Instant.now();
        }
        return Optional.of(new ContainerStats(cpu, memory, at));
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        String execId;
        try {
            execId = api.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
        } catch (NotFoundException | ConflictException e) { // no such container / container is not running
            throw new RuntimeOperationException(engineMessage(e), containerId, e);
        }
        StringBuilder output = new StringBuilder();
        ResultCallback.Adapter<Frame> collector = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (output) {
                    if (output.length() < ExecResult.MAX_OUTPUT) output.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        };
        try {
            boolean finished = streams.execStartCmd(execId).exec(collector).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) return ExecResult.timeout(); // as the kubelet, the command is left running
            // The stream ends when the process does; the engine may record the exit code a moment later.
            for (int i = 0; i < 20; i++) {
                var inspected = api.inspectExecCmd(execId).exec();
                if (!Boolean.TRUE.equals(inspected.isRunning()) && inspected.getExitCodeLong() != null) {
                    synchronized (output) {
                        return ExecResult.exited(inspected.getExitCodeLong().intValue(), output.toString());
                    }
                }
                Thread.sleep(10);
            }
            return ExecResult.timeout();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeOperationException("exec in " + containerId + " interrupted");
        } catch (NotFoundException | ConflictException e) {
            throw new RuntimeOperationException(engineMessage(e), containerId, e);
        } finally {
            try { collector.close(); } catch (IOException ignored) { }
        }
    }

    @Override
    public List<ContainerInfo> list(Map<String, String> labels) {
        List<ContainerInfo> out = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (Container c : api.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec()) {
            listed.add(c.getId());
            boolean trusted = "running".equals(c.getState()) && !died.contains(c.getId());
            ContainerInfo known = trusted ? runningInspected.get(c.getId()) : null;
            if (known != null) {
                out.add(known);
                continue;
            }
            Optional<ContainerInfo> info = inspect(c.getId());
            info.ifPresent(out::add);
            if (info.isPresent() && info.get().running() && !died.contains(c.getId())) {
                runningInspected.put(c.getId(), info.get());
            } else {
                runningInspected.remove(c.getId());
            }
        }
        // Forget containers this filter would have listed and did not: they are gone.
        runningInspected.values().removeIf(i -> !listed.contains(i.id()) && i.labels().entrySet().containsAll(labels.entrySet()));
        return out;
    }

    @Override
    public Optional<ContainerInfo> inspect(String containerId) {
        try {
            return Optional.of(toInfo(api.inspectContainerCmd(containerId).exec()));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static ContainerInfo toInfo(InspectContainerResponse r) {
        InspectContainerResponse.ContainerState s = r.getState();
        ContainerInfo.State state = Boolean.TRUE.equals(s.getRunning()) ? ContainerInfo.State.RUNNING
                : "created".equals(s.getStatus()) && !hasError(s) ? ContainerInfo.State.CREATED
                : ContainerInfo.State.EXITED;
        Map<String, String> published = new LinkedHashMap<>();
        String ip = "";
        if (r.getNetworkSettings() != null) {
            if (r.getNetworkSettings().getPorts() != null) {
                r.getNetworkSettings().getPorts().getBindings().forEach((port, binds) -> {
                    if (binds != null && binds.length > 0) {
                        published.put(port.getPort() + "/" + port.getProtocol().name(),
                                binds[0].getHostIp() + ":" + binds[0].getHostPortSpec());
                    }
                });
            }
            for (ContainerNetwork n : r.getNetworkSettings().getNetworks().values()) {
                if (n.getIpAddress() != null && !n.getIpAddress().isEmpty()) { ip = n.getIpAddress(); break; }
            }
        }
        Map<String, String> labels = r.getConfig().getLabels() == null ? Map.of() : r.getConfig().getLabels();
        return new ContainerInfo(r.getId(), stripSlash(r.getName()), r.getConfig().getImage(), r.getImageId(),
                labels, state, s.getExitCodeLong() == null ? 0 : s.getExitCodeLong().intValue(),
                Boolean.TRUE.equals(s.getOOMKilled()), s.getError() == null ? "" : s.getError(),
                time(r.getCreated()), time(s.getStartedAt()), time(s.getFinishedAt()), ip, published);
    }

    private static boolean hasError(InspectContainerResponse.ContainerState s) {
        return s.getError() != null && !s.getError().isEmpty();
    }

    private static String stripSlash(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    /** Docker writes {@code 0001-01-01T00:00:00Z} for "never". */
    static Instant time(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty() || rfc3339.startsWith("0001-")) return null;
        try {
            return Instant.parse(rfc3339);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public void logs(String containerId, LogOptions options, OutputStream out) throws IOException {
        LogContainerCmd cmd = streams.logContainerCmd(containerId)
                .withStdOut(true).withStdErr(true).withFollowStream(options.follow());
        cmd = options.tailLines() >= 0 ? cmd.withTail(options.tailLines()) : cmd.withTailAll();
        IOException[] writeFailure = new IOException[1];
        ResultCallback.Adapter<Frame> copier = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                try {
                    out.write(frame.getPayload());
                    out.flush();
                } catch (IOException e) {
                    writeFailure[0] = e; // the reader went away: stop following
                    try { close(); } catch (IOException ignored) { }
                }
            }
        };
        try {
            cmd.exec(copier).awaitCompletion();
        } catch (NotFoundException e) {
            throw new IOException("container " + containerId + " not found", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            copier.close();
        }
        if (writeFailure[0] != null) throw writeFailure[0];
    }

    private void forgetInspection(String containerId, boolean destroyed) {
        runningInspected.remove(containerId);
        if (destroyed) {
            died.remove(containerId);
        } else {
            died.add(containerId);
        }
    }

    @Override
    public AutoCloseable watchContainerExits(Map<String, String> labels, Consumer<String> listener) {
        return streams.eventsCmd()
                .withEventTypeFilter(EventType.CONTAINER)
                .withEventFilter("die", "destroy")
                .withLabelFilter(labels)
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event event) {
                        forgetInspection(event.getId(), "destroy".equals(event.getAction()));
                        listener.accept(event.getId());
                    }

                    @Override
                    public void onError(Throwable t) {
                        log.debug("Docker event stream ended: {}", t.toString());
                        super.onError(t);
                    }
                });
    }

    @Override
    public void close() {
        try { api.close(); } catch (IOException ignored) { }
        try { streams.close(); } catch (IOException ignored) { }
    }

    /** docker-java puts the HTTP status and JSON body in its messages; users want the engine's sentence. */
    static String engineMessage(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int i = m.indexOf("{\"message\":\"");
        if (i >= 0) {
            int start = i + "{\"message\":\"".length();
            int end = m.indexOf("\"}", start);
            if (end > start) return m.substring(start, end).replace("\\\"", "\"");
        }
        return m.strip();
    }
}

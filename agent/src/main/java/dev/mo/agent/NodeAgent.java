package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.agent.discovery.ServiceDirectory;
import dev.mo.agent.firewall.PublishedPortsFirewall;
import dev.mo.agent.images.ImageFetcher;
import dev.mo.agent.probe.NetworkProber;
import dev.mo.agent.probe.ProbeManager;
import dev.mo.agent.probe.Prober;
import dev.mo.api.NodeApi;
import dev.mo.model.DaemonThreads;
import dev.mo.model.Json;
import dev.mo.model.Meta;
import dev.mo.runtime.ContainerInfo;
import dev.mo.runtime.ContainerRuntime;
import dev.mo.runtime.EngineInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The node agent's loop, like a small kubelet. Three threads:
 * <ul>
 *   <li><b>watch</b>: long-polls {@link NodeApi#podsForNode} (10 s) and wakes the sync on a change;
 *   <li><b>sync</b>: every {@link AgentConfig#resyncInterval()} (1 s), or at once when woken by a pod
 *       change, a Docker {@code die}/{@code destroy} event or a finished worker, runs {@link #syncOnce()}:
 *       observe containers, plan ({@link PodSyncPlanner}), hand each pod's actions to a worker;
 *   <li><b>heartbeat</b>: posts the Node object every 5 s.
 * </ul>
 * Probes run beside the loop, on the {@link ProbeManager}'s own threads; a probe result that changes a
 * container's readiness (or asks for a kill) wakes the sync, so the new status is reported at once.
 * Closing stops the threads and leaves the containers running: a new agent adopts them by their labels.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    private final AgentConfig config;
    private final NodeApi api;
    private final ContainerRuntime runtime;
    private final ProbeManager probes;
    private final Executor workers;
    private final ExecutorService ownedWorkers;
    private final String agentUrl;
    private final Clock clock;
    private final PodSyncPlanner planner = new PodSyncPlanner();
    private final CrashLoopBackOff crashBackOff;
    private final ContainerStarter starter;
    /** Keeps this node's published ports to the other nodes ({@code --firewall}); null when off. */
    private final PublishedPortsFirewall firewall;

    // What the agent remembers between syncs. All of it can be lost: the engine's labels and the
    // pods' reported statuses are enough to rebuild it, at worst restarting a back-off from 10 s.
    private final Map<String, StartFailure> startFailures = new ConcurrentHashMap<>();
    private final Map<String, Integer> knownRestartCounts = new ConcurrentHashMap<>();
    private final Map<String, Instant> podStartTimes = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> lastStatuses = new ConcurrentHashMap<>();
    private final Map<String, String> lastReports = new ConcurrentHashMap<>();
    private final Set<String> terminatedPods = ConcurrentHashMap.newKeySet();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    /** Work keys whose plan was dropped because they were busy: their worker wakes the sync when done. */
    private final Set<String> skippedWhileBusy = ConcurrentHashMap.newKeySet();
    /** Numbers each container listing, so a plan made from a listing older than a pod's last work is skipped. */
    private final java.util.concurrent.atomic.AtomicLong observations = new java.util.concurrent.atomic.AtomicLong();
    /** Per work key: the listing number current when its last worker finished. */
    private final Map<String, Long> finishedDuring = new ConcurrentHashMap<>();

    private volatile List<ObjectNode> pods;          // null until the control plane first answered
    private final ServiceDirectory services;
    private volatile long revision = -1;
    private final Semaphore wakeUp = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    private volatile AutoCloseable exitWatch;
    private volatile EngineInfo engineInfo;
    private final Instant readySince;

    /**
     * @param workers runs each pod's actions; pass {@code Runnable::run} to run them inline (tests),
     *                or null for a pool of 8 threads owned by the agent
     *                (probes then run inline too, when {@link #probeOnce()} is called)
     * @param prober  runs one probe; null for the real one ({@link NetworkProber}: HTTP, TCP, exec)
     * @param agentUrl where the control plane reaches this agent's HTTP endpoint (Node annotation)
     */
    public NodeAgent(AgentConfig config, NodeApi api, ContainerRuntime runtime, Prober prober,
                     Executor workers, String agentUrl) {
        this(config, api, runtime, prober, workers, agentUrl, null);
    }

    /** @param services Service names and variables for the containers; null leaves them out */
    public NodeAgent(AgentConfig config, NodeApi api, ContainerRuntime runtime, Prober prober,
                     Executor workers, String agentUrl, ServiceDirectory services) {
        this.config = config;
        this.api = api;
        this.runtime = runtime;
        this.ownedWorkers = workers == null ? Executors.newFixedThreadPool(8, DaemonThreads.factory("mo-agent-worker")) : null;
        this.workers = workers == null ? ownedWorkers : workers;
        this.agentUrl = agentUrl;
        this.clock = config.clock();
        // Probes get their own pool (a slow probe must not wait behind a 30 s stop), or the tests' inline executor.
        this.probes = new ProbeManager(prober == null ? new NetworkProber(runtime) : prober, clock,
                workers, this::event, this::wake);
        this.crashBackOff = CrashLoopBackOff.forRestarts(clock);
        this.services = services;
        ImageFetcher images = new ImageFetcher(api, runtime, config.nodeName(), config.token(),
                config.tls().map(NodeTls::client).orElse(null),
                config.dataDir().resolve("images-incoming"), NodeObject.AGENT_URL_ANNOTATION, clock);
        this.starter = new ContainerStarter(config.nodeName(), config.address(), api, runtime, images,
                CrashLoopBackOff.forPulls(clock), clock, services, config.dataDir());
        this.readySince = clock.instant();
        this.firewall = config.firewall() ? new PublishedPortsFirewall(config.address(), HostCommand.HOST) : null;
    }

    /** Registers the node (retried by the heartbeat when the control plane is down), then starts the watch, sync and heartbeat threads. */
    public synchronized NodeAgent start() {
        try {
            heartbeatOnce();
        } catch (RuntimeException e) {
            // A remote control plane may be down right now: the heartbeat thread keeps trying every 5 s.
            log.warn("could not register node {} yet: {}", config.nodeName(), e.toString());
        }
        String node = config.nodeName();
        threads.add(thread("mo-agent-" + node + "-watch", this::watchLoop));
        threads.add(thread("mo-agent-" + node + "-sync", this::syncLoop));
        threads.add(thread("mo-agent-" + node + "-heartbeat", this::heartbeatLoop));
        try {
            exitWatch = runtime.watchContainerExits(Labels.managedOn(node), id -> wake());
        } catch (RuntimeException e) {
            log.warn("no container events from the engine ({}); relying on the {} resync", e.toString(), config.resyncInterval());
        }
        threads.forEach(Thread::start);
        probes.start();
        log.info("node agent {} started (address {}, agent URL {})", node, config.address(), agentUrl);
        return this;
    }

    // ---- one step of each loop (public so tests can drive the agent without threads) ----------

    /** Posts the Node object (registration and heartbeat). */
    public void heartbeatOnce() {
        if (engineInfo == null) engineInfo = runtime.engineInfo();
        api.heartbeat(NodeObject.build(config.nodeName(), config.address(), agentUrl, engineInfo, readySince, clock.instant(),
                runtime.images()));
        // The nodes allowed to reach this node's published ports follow the Node objects.
        if (firewall != null) firewall.sync(api.nodes());
    }

    /** Asks the control plane for this node's pods, waiting up to {@code wait} for a change. */
    public void pollPods(Duration wait) {
        NodeApi.PodsForNode answer = api.podsForNode(config.nodeName(), pods == null ? -1 : revision, wait);
        boolean changed = pods == null || answer.revision() != revision;
        pods = List.copyOf(answer.pods());
        revision = answer.revision();
        if (changed) wake();
    }

    /** Runs the probes that are due now (the probe ticker does this every 100 ms once started). */
    public void probeOnce() {
        probes.runDue();
    }

    /** Observes, plans and dispatches once. Does nothing until the pods were fetched once (no false orphans). */
    public void syncOnce() {
        List<ObjectNode> bound = pods;
        if (bound == null) return;
        Instant now = clock.instant();
        long observation = observations.incrementAndGet();
        List<ContainerInfo> containers = runtime.list(Labels.managedOn(config.nodeName()));
        Map<String, ObjectNode> podsByUid = new HashMap<>();
        for (ObjectNode pod : bound) {
            podsByUid.put(Meta.uid(pod), pod);
            podStartTimes.computeIfAbsent(Meta.uid(pod), uid -> startTimeOf(pod, now));
        }
        observe(containers, podsByUid);
        forgetGonePods(podsByUid.keySet(), containers);
        probes.sync(podsByUid, containers); // probe new running containers, stop probing stopped ones
        // Pods adopted after a restart get their hosts files kept current again.
        if (services != null) bound.forEach(p -> services.remember(p, ContainerStarter.hostname(p)));

        List<SyncAction> actions = planner.plan(new PodSyncPlanner.Input(config.address(), bound, containers,
                crashBackOff::entry, Map.copyOf(startFailures), Map.copyOf(knownRestartCounts), Map.copyOf(podStartTimes),
                Map.copyOf(lastStatuses), Set.copyOf(terminatedPods), probes, now));

        Map<String, List<SyncAction>> byWorker = new LinkedHashMap<>();
        for (SyncAction a : actions) byWorker.computeIfAbsent(a.workKey(), k -> new ArrayList<>()).add(a);
        byWorker.forEach((key, work) -> {
            if (!busy.add(key)) { // still busy with the last plan for this pod; its worker wakes the next sync
                skippedWhileBusy.add(key);
                return;
            }
            if (finishedDuring.getOrDefault(key, 0L) >= observation) {
                // A worker for this pod finished after we listed the containers: this plan may be stale
                // (it would start the container that worker just started). The next sync, at once, sees the truth.
                busy.remove(key);
                wake();
                return;
            }
            try {
                workers.execute(() -> {
                    try {
                        work.forEach(this::execute);
                    } finally {
                        finishedDuring.put(key, observations.get());
                        busy.remove(key);
                        boolean skipped = skippedWhileBusy.remove(key); // e.g. a probe changed readiness meanwhile
                        if (skipped || work.stream().anyMatch(a -> !(a instanceof SyncAction.ReportStatus))) wake();
                    }
                });
            } catch (RuntimeException rejected) {
                busy.remove(key); // closing
            }
        });
    }

    /** Remembers restart counts and turns newly exited containers into back-off (and a log line that explains). */
    private void observe(List<ContainerInfo> containers, Map<String, ObjectNode> podsByUid) {
        Map<String, ContainerInfo> newest = new HashMap<>();
        for (ContainerInfo c : containers) {
            knownRestartCounts.merge(Labels.key(c), Labels.restartCount(c), Math::max);
            newest.merge(Labels.key(c), c, (a, b) -> Labels.restartCount(a) >= Labels.restartCount(b) ? a : b);
        }
        for (ContainerInfo c : newest.values()) {
            ObjectNode pod = podsByUid.get(c.label(Labels.POD_UID));
            if (c.running() || pod == null || Meta.deleting(pod)) continue;
            String key = Labels.key(c);
            String name = c.label(Labels.CONTAINER);
            if (!PodSyncPlanner.shouldRestart(pod, c)) {
                if (crashBackOff.recordFailure(key, c.id(), c.startedAt(), c.finishedAt())) {
                    log.info("pod {}: container {} exited with code {}; restartPolicy {} keeps it stopped",
                            ContainerStarter.ref(pod), name, c.exitCode(), Json.text(pod, "spec.restartPolicy"));
                }
                continue;
            }
            if (crashBackOff.recordFailure(key, c.id(), c.startedAt(), c.finishedAt())) {
                Duration delay = crashBackOff.entry(key).orElseThrow().delay();
                log.info("pod {}: container {} exited with code {}{}, restarting in {} (restart {})",
                        ContainerStarter.ref(pod), name, c.exitCode(), c.oomKilled() ? " (OOMKilled)" : "",
                        PodSyncPlanner.seconds(delay), Labels.restartCount(c) + 1);
                event(pod, "Warning", "BackOff", "Back-off restarting failed container " + name
                        + " in pod " + PodSyncPlanner.podRef(pod));
            }
        }
    }

    private static Instant startTimeOf(ObjectNode pod, Instant now) {
        String reported = Json.text(pod, "status.startTime");
        try {
            return reported != null ? Instant.parse(reported) : now;
        } catch (RuntimeException e) {
            return now;
        }
    }

    /** Drops what the agent remembers about pods that are neither bound nor have containers. */
    private void forgetGonePods(Set<String> boundUids, List<ContainerInfo> containers) {
        Set<String> live = new HashSet<>(boundUids);
        containers.forEach(c -> live.add(c.label(Labels.POD_UID)));
        podStartTimes.keySet().removeIf(uid -> !live.contains(uid));
        finishedDuring.keySet().removeIf(key -> !live.contains(key) && !busy.contains(key));
        lastStatuses.keySet().removeIf(uid -> !live.contains(uid));
        lastReports.keySet().removeIf(uid -> !live.contains(uid));
        terminatedPods.removeIf(uid -> !boundUids.contains(uid));
        startFailures.keySet().removeIf(key -> !live.contains(uidOf(key)));
        knownRestartCounts.keySet().removeIf(key -> !live.contains(uidOf(key)));
        removeOrphanVolumes(live);
    }

    /** Volume directories of pods neither bound here nor with containers (e.g. deleted while the agent was down). */
    private void removeOrphanVolumes(Set<String> live) {
        java.nio.file.Path pods = PodVolumes.podDir(config.dataDir(), "x").getParent();
        if (!java.nio.file.Files.isDirectory(pods)) return;
        try (var dirs = java.nio.file.Files.list(pods)) {
            for (java.nio.file.Path dir : dirs.toList()) {
                String uid = dir.getFileName().toString();
                if (live.contains(uid)) continue;
                log.info("removing the volume directories of pod uid {}, which is gone", uid);
                PodVolumes.removePod(dir);
            }
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("could not remove orphaned pod volumes under {}: {}", pods, e.toString());
        }
    }

    private static String uidOf(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    // ---- executing actions -------------------------------------------------------------------

    private void execute(SyncAction action) {
        try {
            if (action instanceof SyncAction.StartContainer a) start(a);
            else if (action instanceof SyncAction.RemoveContainer a) removeContainer(a);
            else if (action instanceof SyncAction.KillContainer a) killContainer(a);
            else if (action instanceof SyncAction.KillPod a) killPod(a);
            else if (action instanceof SyncAction.TerminatePod a) terminated(a.pod());
            else if (action instanceof SyncAction.ReportStatus a) report(a);
        } catch (RuntimeException e) {
            log.warn("{} failed: {}", action.getClass().getSimpleName(), e.toString(), e);
        }
    }

    private void start(SyncAction.StartContainer a) {
        String key = Labels.key(Meta.uid(a.pod()), a.containerName());
        StartFailure failure = starter.start(a, startFailures.get(key));
        if (failure == null) {
            startFailures.remove(key);
            knownRestartCounts.merge(key, a.restartCount(), Math::max);
        } else {
            startFailures.put(key, failure);
        }
    }

    private void removeContainer(SyncAction.RemoveContainer a) {
        ContainerInfo c = a.container();
        if (a.pod() == null) {
            log.info("removing orphan container {} (pod {}/{} uid {} is not bound to node {})", c.name(),
                    c.label(Labels.NAMESPACE), c.label(Labels.POD), c.label(Labels.POD_UID), config.nodeName());
        } else {
            log.debug("removing container {}: {}", c.name(), a.why());
        }
        if (c.running()) runtime.stop(c.id(), a.graceSeconds());
        runtime.remove(c.id());
    }

    /**
     * A failed liveness/startup probe: stop the container as the kubelet does, preStop hook first; the
     * next sync sees it exited and restarts it per restartPolicy and back-off.
     */
    private void killContainer(SyncAction.KillContainer a) {
        log.info("pod {}: {}; stopping it with a grace period of {}s", ContainerStarter.ref(a.pod()), a.message(), a.graceSeconds());
        event(a.pod(), "Normal", "Killing", a.message());
        stopGracefully(a.pod(), a.container(), a.graceSeconds());
    }

    /**
     * Graceful termination, as the kubelet: first wait until this node's proxies no longer route to the
     * pod (at most {@link #OUT_OF_ROTATION_WAIT}); then, for every running container in parallel, the
     * {@code Killing} event, its preStop hook, and {@code docker stop} (SIGTERM, SIGKILL after what is
     * left of the grace period); then remove the containers and report the pod gone.
     */
    private void killPod(SyncAction.KillPod a) {
        ObjectNode pod = a.pod();
        log.info("pod {}: deleting, stopping {} container(s) with a grace period of {}s",
                ContainerStarter.ref(pod), a.containers().size(), a.graceSeconds());
        if (a.containers().stream().anyMatch(ContainerInfo::running)) awaitOutOfRotation(pod);
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (ContainerInfo c : a.containers()) {
            if (!c.running()) continue;
            event(pod, "Normal", "Killing", "Stopping container " + c.label(Labels.CONTAINER));
            stops.add(CompletableFuture.runAsync(() -> stopGracefully(pod, c, a.graceSeconds()), STOPPERS));
        }
        stops.forEach(CompletableFuture::join);
        a.containers().forEach(c -> runtime.remove(c.id()));
        terminated(pod);
    }

    /** The preStop hook (its time counts against the grace period), then SIGTERM with the rest of it. */
    private void stopGracefully(ObjectNode pod, ContainerInfo c, int graceSeconds) {
        String name = c.label(Labels.CONTAINER);
        JsonNode spec = containerSpec(pod, name);
        LifecycleHook hook = spec == null ? null : LifecycleHook.of(spec, LifecycleHook.PRE_STOP);
        int remaining = graceSeconds;
        if (hook != null) {
            Instant start = clock.instant();
            Duration limit = Duration.ofSeconds(Math.max(graceSeconds, PodSyncPlanner.MINIMUM_GRACE_AFTER_HOOK_SECONDS));
            String failure;
            try {
                failure = hook.run(runtime, pod, c, spec, limit);
            } catch (RuntimeException e) {
                failure = "PreStopHook failed: " + e.getMessage();
            }
            Duration took = Duration.between(start, clock.instant());
            if (failure != null) {
                log.info("pod {}: preStop hook of container {} failed: {}", ContainerStarter.ref(pod), name, failure);
                event(pod, "Warning", "FailedPreStopHook", failure);
            }
            remaining = PodSyncPlanner.remainingGrace(graceSeconds, took);
            log.info("pod {}: preStop hook of container {} {} after {} ms; stopping it with {}s of the {}s grace period left",
                    ContainerStarter.ref(pod), name, failure == null ? "finished" : "failed", took.toMillis(), remaining, graceSeconds);
        }
        runtime.stop(c.id(), remaining);
    }

    private static JsonNode containerSpec(ObjectNode pod, String name) {
        for (JsonNode spec : pod.path("spec").path("containers")) {
            if (spec.path("name").asText().equals(name)) return spec;
        }
        return null;
    }

    // ---- out of rotation before the stop ---------------------------------------------------------

    /** The longest a deleted pod waits for this node's proxies to stop routing to it (they retry GETs anyway). */
    public static final Duration OUT_OF_ROTATION_WAIT = Duration.ofSeconds(2);
    private final Object routingLock = new Object();
    /** The routing snapshot this node's proxies use now; null until {@link RoutingWatcher} handed one. */
    private NodeApi.Routing routing;

    /** The proxies of this node now use {@code r} (called by the routing watcher after updating them). */
    public void routingApplied(NodeApi.Routing r) {
        synchronized (routingLock) {
            routing = r;
            routingLock.notifyAll();
        }
    }

    /**
     * Waits (on the pod's worker, never the sync thread) until the snapshot the proxies use no longer
     * lists the pod as a ready address, at most {@link #OUT_OF_ROTATION_WAIT}. The control plane drops
     * a deleted pod from Endpoints at once; this covers the way from there to this node's proxies.
     */
    void awaitOutOfRotation(ObjectNode pod) {
        String uid = Meta.uid(pod);
        long start = System.nanoTime();
        long deadline = start + OUT_OF_ROTATION_WAIT.toNanos();
        synchronized (routingLock) {
            if (routing == null || !RoutingWatcher.routesTo(routing, uid)) {
                log.info("pod {}: not in this node's routes; terminating", ContainerStarter.ref(pod));
                return;
            }
            log.info("pod {}: waiting up to {} for this node's proxies to stop routing to it",
                    ContainerStarter.ref(pod), PodSyncPlanner.seconds(OUT_OF_ROTATION_WAIT));
            while (RoutingWatcher.routesTo(routing, uid)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    log.info("pod {}: still routed to after {}; terminating anyway (the proxies retry GETs elsewhere)",
                            ContainerStarter.ref(pod), PodSyncPlanner.seconds(OUT_OF_ROTATION_WAIT));
                    return;
                }
                try {
                    routingLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            log.info("pod {}: out of rotation on this node after {} ms; terminating",
                    ContainerStarter.ref(pod), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    private static final ExecutorService STOPPERS = Executors.newCachedThreadPool(DaemonThreads.factory("mo-agent-stop"));

    /** Everything of the pod on this node is gone: its files first, then the control plane is told. */
    private void terminated(ObjectNode pod) {
        crashBackOff.forgetPod(Meta.uid(pod));
        if (services != null) services.forget(Meta.uid(pod));
        try {
            PodVolumes.removePod(PodVolumes.podDir(config.dataDir(), Meta.uid(pod))); // emptyDir data goes with the pod
        } catch (RuntimeException e) {
            log.warn("pod {}: could not remove its volume directories: {}", ContainerStarter.ref(pod), e.toString());
        }
        api.podTerminated(Meta.namespace(pod), Meta.name(pod), Meta.uid(pod));
        terminatedPods.add(Meta.uid(pod));
        log.info("pod {}: all containers removed, reported terminated", ContainerStarter.ref(pod));
    }

    /**
     * Reports only what changed: the same status twice is skipped, unless the server's copy
     * differs from it (the node controller marks the pods of a node it lost touch with not
     * ready; when the agent is heard again, it sets them right).
     */
    private void report(SyncAction.ReportStatus a) {
        ObjectNode pod = a.pod();
        String uid = Meta.uid(pod);
        String fingerprint = Json.write(a.status()) + a.hostPorts();
        if (fingerprint.equals(lastReports.get(uid)) && Json.write(a.status()).equals(Json.write(pod.get("status")))) return;
        api.reportPodStatus(Meta.namespace(pod), Meta.name(pod), uid, a.status(), a.hostPorts());
        lastReports.put(uid, fingerprint);
        lastStatuses.put(uid, a.status());
    }

    private void event(ObjectNode pod, String type, String reason, String message) {
        try {
            api.recordPodEvent(Meta.namespace(pod), Meta.name(pod), Meta.uid(pod), type, reason, message);
        } catch (RuntimeException e) {
            log.debug("could not record event {}: {}", reason, e.toString());
        }
    }

    // ---- loops -------------------------------------------------------------------------------

    /** Wakes the sync loop now (coalesced: many wake-ups before it runs make one sync). */
    public void wake() {
        if (wakeUp.availablePermits() == 0) wakeUp.release();
    }

    private void watchLoop() {
        while (!closed) {
            try {
                pollPods(config.longPoll());
            } catch (RuntimeException e) {
                if (closed) return;
                log.warn("cannot get pods for node {} from the control plane: {}; retrying in 1s", config.nodeName(), e.toString());
                pause(Duration.ofSeconds(1));
            }
        }
    }

    private void syncLoop() {
        while (!closed) {
            try {
                wakeUp.tryAcquire(config.resyncInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
                if (!closed) syncOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("sync of node {} failed: {}", config.nodeName(), e.toString(), e);
                pause(Duration.ofSeconds(1));
            }
        }
    }

    private void heartbeatLoop() {
        while (!closed) {
            pause(config.heartbeatInterval());
            if (closed) return;
            try {
                heartbeatOnce();
            } catch (RuntimeException e) {
                log.warn("heartbeat of node {} failed: {}", config.nodeName(), e.toString());
            }
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the agent's threads. Containers keep running. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (exitWatch != null) {
            try { exitWatch.close(); } catch (Exception ignored) { }
        }
        probes.close();
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            // The watch thread may sit in a long poll that an interrupt cannot cut short (a blocking
            // socket read); it only reads, and as a daemon it ends with the process: not waited for.
            if (t.getName().endsWith("-watch")) continue;
            try { t.join(2000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
        if (ownedWorkers != null) {
            ownedWorkers.shutdownNow();
            try { ownedWorkers.awaitTermination(2, TimeUnit.SECONDS); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
        log.info("node agent {} stopped; its containers keep running", config.nodeName());
    }

    private Thread thread(String name, Runnable body) {
        return DaemonThreads.named(name, body);
    }

}

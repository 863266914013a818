package dev.mo.agent;

import dev.mo.api.NodeApi;
import dev.mo.api.PodMetrics;
import dev.mo.model.DaemonThreads;
import dev.mo.runtime.ContainerInfo;
import dev.mo.runtime.ContainerRuntime;
import dev.mo.runtime.ContainerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet's resource metrics, for the HorizontalPodAutoscaler and {@code mo top}: every
 * {@link #PERIOD} it samples each running container of this node from the engine and reports,
 * per pod, CPU in millicores (CPU time used between two samples divided by the time between
 * them) and working-set memory. A container's first sample gives no CPU figure yet, so a new
 * pod appears in the report from the second round on.
 */
public final class MetricsReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsReporter.class);
    public static final Duration PERIOD = Duration.ofSeconds(5);

    private final NodeApi api;
    private final ContainerRuntime runtime;
    private final String nodeName;
    /** The previous sample of each container, by engine id. */
    private final Map<String, ContainerStats> previous = new HashMap<>();
    private ScheduledExecutorService timer;

    public MetricsReporter(NodeApi api, ContainerRuntime runtime, String nodeName) {
        this.api = api;
        this.runtime = runtime;
        this.nodeName = nodeName;
    }

    public MetricsReporter start() {
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("mo-agent-" + nodeName + "-metrics"));
        timer.scheduleWithFixedDelay(() -> {
            try {
                api.reportMetrics(nodeName, sample());
            } catch (RuntimeException e) {
                log.warn("metrics: cannot report to the control plane ({})", e.toString());
            }
        }, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One round: samples every running container of this node; returns the pods measured twice. */
    public synchronized List<PodMetrics> sample() {
        Map<String, List<PodMetrics.Container>> byPod = new LinkedHashMap<>();
        Map<String, PodMetrics> meta = new HashMap<>();
        Map<String, ContainerStats> seen = new HashMap<>();
        for (ContainerInfo c : runtime.list(Labels.managedOn(nodeName))) {
            if (!c.running()) continue;
            Optional<ContainerStats> now = runtime.stats(c.id());
            if (now.isEmpty()) continue;
            seen.put(c.id(), now.get());
            ContainerStats before = previous.get(c.id());
            if (before == null) continue;
            long nanos = Duration.between(before.at(), now.get().at()).toNanos();
            long used = now.get().cpuNanos() - before.cpuNanos();
            if (nanos <= 0 || used < 0) continue;
            long millicores = Math.round(used * 1000.0 / nanos);
            String key = c.label(Labels.NAMESPACE) + "/" + c.label(Labels.POD);
            byPod.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new PodMetrics.Container(c.label(Labels.CONTAINER), millicores, now.get().memoryBytes()));
            PodMetrics m = meta.get(key);
            long window = nanos / 1_000_000;
            if (m == null || m.timestamp().isBefore(now.get().at())) {
                meta.put(key, new PodMetrics(c.label(Labels.NAMESPACE), c.label(Labels.POD), now.get().at(), window, List.of()));
            }
        }
        previous.clear();
        previous.putAll(seen);
        List<PodMetrics> out = new ArrayList<>();
        byPod.forEach((key, containers) -> {
            PodMetrics m = meta.get(key);
            out.add(new PodMetrics(m.namespace(), m.pod(), m.timestamp(), m.windowMillis(), List.copyOf(containers)));
        });
        return out;
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }
}

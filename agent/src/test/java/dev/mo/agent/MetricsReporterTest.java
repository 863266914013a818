package dev.mo.agent;

import dev.mo.api.PodMetrics;
import dev.mo.runtime.ContainerSpec;
import dev.mo.runtime.FakeRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** CPU over the interval between two samples, grouped per pod, on a fake engine and clock. */
class MetricsReporterTest {
    @Test
    void reportsMillicoresBetweenTwoSamplesPerPod() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
        FakeRuntime runtime = new FakeRuntime(clock);
        runtime.usage("web", 250, 12L * 1024 * 1024).usage("sidecar", 50, 1024 * 1024);
        start(runtime, "web-a", "web");
        start(runtime, "web-a", "sidecar");
        start(runtime, "web-b", "web");
        start(runtime, "other-node", "web", "n2");
        MetricsReporter reporter = new MetricsReporter(new FakeNodeApi(), runtime, "n1");

        assertEquals(List.of(), reporter.sample(), "one sample gives no rate yet");
        clock.advance(Duration.ofSeconds(5));
        List<PodMetrics> pods = reporter.sample();
        assertEquals(List.of("web-a", "web-b"), pods.stream().map(PodMetrics::pod).sorted().toList());
        PodMetrics a = pods.stream().filter(p -> p.pod().equals("web-a")).findFirst().orElseThrow();
        assertEquals(300, a.cpuMillis());
        assertEquals(13L * 1024 * 1024, a.memoryBytes());
        assertEquals(5000, a.windowMillis());
        assertEquals("shop", a.namespace());
        assertEquals(List.of("web", "sidecar"), a.containers().stream().map(PodMetrics.Container::name).toList());

        runtime.usage("web", 1000, 12L * 1024 * 1024);
        clock.advance(Duration.ofSeconds(5));
        reporter.sample(); // the interval spanning the change is skewed in the fake; the next one is exact
        clock.advance(Duration.ofSeconds(5));
        assertEquals(1000, reporter.sample().stream().filter(p -> p.pod().equals("web-b")).findFirst().orElseThrow().cpuMillis());
    }

    private static void start(FakeRuntime runtime, String pod, String container) { start(runtime, pod, container, "n1"); }

    private static void start(FakeRuntime runtime, String pod, String container, String node) {
        Map<String, String> labels = Map.of(Labels.MANAGED, "true", Labels.NODE, node, Labels.NAMESPACE, "shop",
                Labels.POD, pod, Labels.POD_UID, pod + "-uid", Labels.CONTAINER, container, Labels.RESTART_COUNT, "0");
        runtime.createAndStart(new ContainerSpec("mo_" + container + "_" + pod, "nginx", null, null, null, null, pod,
                labels, List.of(), "127.0.0.1", List.of()));
    }
}

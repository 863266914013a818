package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.agent.probe.ProbeManager;
import dev.mo.agent.probe.ProbeResult;
import dev.mo.agent.probe.ProbeType;
import dev.mo.agent.probe.Prober;
import dev.mo.model.Json;
import dev.mo.runtime.ContainerInfo;
import dev.mo.runtime.ExecResult;
import dev.mo.runtime.FakeRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Probes inside the agent, over the fake runtime and control plane: a scripted prober says what
 * each probe type returns, a test clock says when probes are due, and the test drives the loop.
 */
class NodeAgentProbeTest {
    private static final String NODE = "n1";
    private static final String UID = "uid-0001-aaaa";
    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final FakeNodeApi api = new FakeNodeApi();
    private final FakeRuntime runtime = new FakeRuntime(clock);
    private final ScriptedProber prober = new ScriptedProber();
    private NodeAgent agent = new NodeAgent(AgentConfig.builder(NODE).token("t").clock(clock).build(), api, runtime,
            prober, Runnable::run, "http://127.0.0.1:1");

    /** Each probe type returns what the test last set (success by default) and counts its calls. */
    static final class ScriptedProber implements Prober {
        final Map<ProbeType, ProbeResult> results = new ConcurrentHashMap<>();
        final Map<ProbeType, AtomicInteger> calls = new ConcurrentHashMap<>();

        void set(ProbeType type, ProbeResult result) { results.put(type, result); }

        int calls(ProbeType type) { return calls.computeIfAbsent(type, t -> new AtomicInteger()).get(); }

        @Override
        public ProbeResult probe(dev.mo.agent.probe.Probe probe, dev.mo.agent.probe.ProbeTarget target) {
            calls.computeIfAbsent(probe.type(), t -> new AtomicInteger()).incrementAndGet();
            return results.getOrDefault(probe.type(), ProbeResult.success());
        }
    }

    @AfterEach
    void close() { agent.close(); }

    private static ObjectNode podWith(String probes) {
        ObjectNode pod = TestPods.pod("web-7d4b9c-x2k4q", UID, NODE, "busybox:1");
        Json.parse(probes).fields().forEachRemaining(f -> TestPods.container(pod, 0).set(f.getKey(), f.getValue()));
        return pod;
    }

    private void sync() {
        agent.pollPods(Duration.ZERO);
        agent.syncOnce();
        agent.syncOnce();
    }

    /** One probe period later: the due probes run (inline), then the agent syncs. */
    /** The first probes of a new container: {@link ProbeManager#START_GRACE} after it started (no initial delay). */
    private void firstProbe() {
        clock.advance(ProbeManager.START_GRACE);
        agent.probeOnce();
    }

    private void tick() {
        clock.advance(Duration.ofSeconds(1));
        agent.probeOnce();
        sync();
    }

    private JsonNode web() { return api.status(UID).path("containerStatuses").get(0); }

    private String condition(String type) {
        for (JsonNode c : api.status(UID).path("conditions")) if (c.path("type").asText().equals(type)) return c.path("status").asText();
        return null;
    }

    private long count(String event) { return api.events.stream().filter(event::equals).count(); }

    @Test
    void livenessFailureKillsAndRestartsTheContainer() {
        api.put(podWith("""
                {"livenessProbe":{"exec":{"command":["cat","/tmp/healthy"]},"periodSeconds":1,"failureThreshold":3}}"""));
        sync();
        String first = runningContainer().id();
        tick();
        assertEquals(1, prober.calls(ProbeType.LIVENESS));

        prober.set(ProbeType.LIVENESS, ProbeResult.failure("cat: can't open '/tmp/healthy': No such file or directory"));
        tick();
        tick();
        assertEquals(first, runningContainer().id(), "two failures of three: still running");
        tick();
        assertEquals(3, count("Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"));
        assertEquals(1, count("Killing: Container web failed liveness probe, will be restarted"));
        sync(); // the killed container is seen exited and restarted at once (the first restart has no back-off)
        ContainerInfo second = runningContainer();
        assertFalse(first.equals(second.id()));
        assertEquals(2, runtime.startCount());
        assertEquals(1, web().path("restartCount").asInt());
        assertEquals(143, web().path("lastState").path("terminated").path("exitCode").asInt());

        prober.set(ProbeType.LIVENESS, ProbeResult.success());
        tick();
        tick();
        assertEquals(second.id(), runningContainer().id(), "probe state starts afresh with the new container");
        assertEquals(1, count("Killing: Container web failed liveness probe, will be restarted"));
    }

    @Test
    void livenessKillRunsThePreStopHookFirst() {
        List<List<String>> hookRuns = new java.util.concurrent.CopyOnWriteArrayList<>();
        runtime.onExec("web", command -> {
            hookRuns.add(command);
            return dev.mo.runtime.ExecResult.exited(0, "");
        });
        api.put(podWith("""
                {"livenessProbe":{"httpGet":{"path":"/healthz","port":80},"periodSeconds":1,"failureThreshold":1},
                 "lifecycle":{"preStop":{"exec":{"command":["sh","-c","echo draining"]}}}}"""));
        sync();
        String first = runningContainer().id();
        prober.set(ProbeType.LIVENESS, ProbeResult.failure("HTTP probe failed with statuscode: 500"));
        tick();
        assertEquals(List.of(List.of("sh", "-c", "echo draining")), hookRuns);
        assertEquals(1, count("Killing: Container web failed liveness probe, will be restarted"));
        assertFalse(runtime.list(Labels.managedOn(NODE)).stream().anyMatch(c -> c.id().equals(first) && c.running()));
    }

    @Test
    void readinessDecidesReadyInTheReportedStatus() {
        api.put(podWith("""
                {"readinessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":1,"failureThreshold":3}}"""));
        sync();
        assertEquals("Running", api.status(UID).path("phase").asText());
        assertFalse(web().path("ready").asBoolean(), "not ready before the first success");
        assertEquals("False", condition("Ready"));
        agent.probeOnce();
        assertEquals(0, prober.calls(ProbeType.READINESS), "the first probe waits START_GRACE after the start");
        firstProbe();
        sync();
        assertTrue(web().path("ready").asBoolean());
        assertEquals("True", condition("Ready"));
        assertEquals("True", condition("ContainersReady"));

        prober.set(ProbeType.READINESS, ProbeResult.failure("HTTP probe failed with statuscode: 503"));
        tick();
        tick();
        assertTrue(web().path("ready").asBoolean(), "two failures of three: still ready");
        tick();
        assertFalse(web().path("ready").asBoolean());
        assertEquals("False", condition("Ready"));
        assertEquals("False", condition("ContainersReady"));
        assertEquals(3, count("Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503"),
                "one event per failure, same message: the control plane counts them");
        assertEquals(1, runtime.startCount(), "readiness never restarts a container");

        prober.set(ProbeType.READINESS, ProbeResult.success());
        tick();
        assertTrue(web().path("ready").asBoolean());
        assertEquals("True", condition("Ready"));
    }

    @Test
    void startupProbeHoldsLivenessAndReadinessUntilItPasses() {
        api.put(podWith("""
                {"startupProbe":{"exec":{"command":["cat","/tmp/started"]},"periodSeconds":1,"failureThreshold":5},
                 "livenessProbe":{"exec":{"command":["true"]},"periodSeconds":1},
                 "readinessProbe":{"exec":{"command":["true"]},"periodSeconds":1}}"""));
        prober.set(ProbeType.STARTUP, ProbeResult.failure("command \"cat /tmp/started\" exited with 1"));
        sync();
        firstProbe();
        tick();
        assertFalse(web().path("started").asBoolean());
        assertFalse(web().path("ready").asBoolean());
        assertEquals(2, prober.calls(ProbeType.STARTUP));
        assertEquals(0, prober.calls(ProbeType.LIVENESS) + prober.calls(ProbeType.READINESS));

        prober.set(ProbeType.STARTUP, ProbeResult.success());
        tick(); // startup passes; liveness and readiness run from the next tick on
        assertTrue(web().path("started").asBoolean());
        tick();
        assertTrue(web().path("ready").asBoolean());
        assertEquals(3, prober.calls(ProbeType.STARTUP), "no startup probe after it passed");
        assertEquals(1, runtime.startCount());
    }

    @Test
    void startupProbeThatNeverPassesKillsTheContainer() {
        api.put(podWith("""
                {"startupProbe":{"tcpSocket":{"port":"http"},"periodSeconds":1,"failureThreshold":3}}"""));
        prober.set(ProbeType.STARTUP, ProbeResult.failure("dial tcp 172.17.0.2:8080: connect: connection refused"));
        sync();
        firstProbe();
        tick();
        tick();
        assertEquals(3, count("Unhealthy: Startup probe failed: dial tcp 172.17.0.2:8080: connect: connection refused"));
        assertEquals(1, count("Killing: Container web failed startup probe, will be restarted"));
        sync();
        assertEquals(1, web().path("restartCount").asInt());
    }

    @Test
    void execProbesRunThroughTheRuntime() {
        NodeAgent real = new NodeAgent(AgentConfig.builder(NODE).token("t").clock(clock).build(), api, runtime,
                null, Runnable::run, "http://127.0.0.1:1");
        agent.close();
        agent = real; // the real prober, whose exec goes to FakeRuntime.exec
        runtime.onExec("web", cmd -> cmd.equals(List.of("cat", "/tmp/healthy"))
                ? ExecResult.exited(1, "cat: can't open '/tmp/healthy': No such file or directory") : ExecResult.exited(0, ""));
        api.put(podWith("""
                {"readinessProbe":{"exec":{"command":["cat","/tmp/healthy"]},"periodSeconds":1,"failureThreshold":1}}"""));
        sync();
        firstProbe();
        sync();
        assertFalse(web().path("ready").asBoolean());
        assertEquals(1, count("Unhealthy: Readiness probe failed: cat: can't open '/tmp/healthy': No such file or directory"));
        runtime.onExec("web", cmd -> ExecResult.exited(0, ""));
        tick();
        assertTrue(web().path("ready").asBoolean());
    }

    @Test
    void aProbeResultWakesTheSyncSoTheStatusIsReportedPromptly() {
        FakeRuntime liveRuntime = new FakeRuntime();
        // A resync every 30 s: only the prober's wake-up can report the change within a few seconds.
        AgentConfig config = AgentConfig.builder(NODE).token("t").resyncInterval(Duration.ofSeconds(30)).build();
        try (NodeAgent live = new NodeAgent(config, api, liveRuntime, prober, null, "http://x")) {
            live.start();
            api.put(podWith("""
                    {"readinessProbe":{"exec":{"command":["true"]},"periodSeconds":1,"failureThreshold":2}}"""));
            await().atMost(Duration.ofSeconds(5)).until(() -> api.status(UID) != null && web().path("ready").asBoolean());
            prober.set(ProbeType.READINESS, ProbeResult.failure("HTTP probe failed with statuscode: 500"));
            long failedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> !web().path("ready").asBoolean());
            long millis = (System.nanoTime() - failedAt) / 1_000_000;
            assertTrue(millis < 3500, "not ready reported after " + millis + " ms (period 1 s x threshold 2)");
            prober.set(ProbeType.READINESS, ProbeResult.success());
            await().atMost(Duration.ofSeconds(3)).until(() -> web().path("ready").asBoolean());
        }
    }

    private ContainerInfo runningContainer() {
        return runtime.list(Labels.managedOn(NODE)).stream().filter(ContainerInfo::running).findFirst().orElseThrow();
    }
}

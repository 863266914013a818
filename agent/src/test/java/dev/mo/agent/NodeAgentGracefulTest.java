package dev.mo.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.mo.api.NodeApi;
import dev.mo.model.Json;
import dev.mo.runtime.ContainerInfo;
import dev.mo.runtime.ContainerRuntime;
import dev.mo.runtime.ContainerSpec;
import dev.mo.runtime.EngineInfo;
import dev.mo.runtime.ExecResult;
import dev.mo.runtime.FakeRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graceful termination over the in-memory runtime: out of rotation, preStop hook, SIGTERM with what is left of the grace period. */
class NodeAgentGracefulTest {
    private static final String NODE = "n1";
    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final FakeNodeApi api = new FakeNodeApi();
    private final FakeRuntime fake = new FakeRuntime(clock);
    /** What happened, in order: "exec ...", "stop <grace>", "routes dropped". */
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Recording runtime = new Recording();
    private final AgentConfig config = AgentConfig.builder(NODE).token("t").clock(clock).build();
    private final NodeAgent agent = new NodeAgent(config, api, runtime, null, Runnable::run, "http://127.0.0.1:1");
    private final String uid = "uid-0001-aaaa";
    private final ObjectNode pod = TestPods.pod("web-7d4b9c-x2k4q", uid, NODE, "busybox:1");

    @AfterEach
    void close() { agent.close(); }

    private void sync() {
        agent.pollPods(Duration.ZERO);
        agent.syncOnce();
        agent.syncOnce();
    }

    private void runThenDelete(int grace, String preStop) {
        ((ObjectNode) pod.get("spec")).put("terminationGracePeriodSeconds", grace);
        if (preStop != null) TestPods.container(pod, 0).set("lifecycle", Json.parse("{\"preStop\":" + preStop + "}"));
        api.put(pod);
        sync();
        assertEquals(1, fake.list(Labels.managedOn(NODE)).size());
        api.put(TestPods.deleting(api.pods.get(uid)));
        sync();
    }

    private void assertGone() {
        assertEquals(List.of(), fake.list(Labels.managedOn(NODE)));
        assertEquals(List.of(uid), api.terminated);
    }

    @Test
    void execHookRunsBeforeTheStopWhichGetsWhatIsLeftOfTheGracePeriod() {
        fake.onExec("web", command -> {
            clock.advance(Duration.ofSeconds(3)); // the hook takes 3 s of the 10 s
            return ExecResult.exited(0, "bye");
        });
        runThenDelete(10, "{\"exec\":{\"command\":[\"sh\",\"-c\",\"echo bye\"]}}");
        assertEquals(List.of("exec [sh, -c, echo bye]", "stop 7"), log);
        assertTrue(api.events.contains("Killing: Stopping container web"));
        assertTrue(api.events.stream().noneMatch(e -> e.startsWith("FailedPreStopHook")), api.events::toString);
        assertGone();
    }

    @Test
    void withoutAHookTheStopGetsTheWholeGracePeriod() {
        runThenDelete(10, null);
        assertEquals(List.of("stop 10"), log);
        assertGone();
    }

    @Test
    void aHookThatTakesTheWholeGracePeriodLeavesTheMinimum() {
        fake.onExec("web", command -> {
            clock.advance(Duration.ofSeconds(12));
            return ExecResult.timeout();
        });
        runThenDelete(5, "{\"exec\":{\"command\":[\"sleep\",\"60\"]}}");
        assertEquals(List.of("exec [sleep, 60]", "stop 2"), log);
        assertTrue(api.events.contains("FailedPreStopHook: Exec lifecycle hook ([sleep 60]) for Container \"web\" in Pod "
                + "\"web-7d4b9c-x2k4q_default(uid-0001-aaaa)\" failed - error: command 'sleep 60' did not finish within 5s, message: \"\""),
                api.events::toString);
        assertGone();
    }

    @Test
    void failingHookIsAWarningEventAndTerminationGoesOn() {
        fake.onExec("web", command -> ExecResult.exited(1, "boom\n"));
        runThenDelete(10, "{\"exec\":{\"command\":[\"sh\",\"-c\",\"exit 1\"]}}");
        assertEquals(List.of("exec [sh, -c, exit 1]", "stop 10"), log);
        assertTrue(api.events.contains("FailedPreStopHook: Exec lifecycle hook ([sh -c exit 1]) for Container \"web\" in Pod "
                + "\"web-7d4b9c-x2k4q_default(uid-0001-aaaa)\" failed - error: command 'sh -c exit 1' exited with 1: boom, message: \"boom\""),
                api.events::toString);
        int killing = api.events.indexOf("Killing: Stopping container web");
        assertTrue(killing >= 0 && killing < api.events.size() - 1, "Killing comes before the failed hook");
        assertGone();
    }

    @Test
    void sleepHookSleepsBeforeTheStop() {
        long start = System.nanoTime();
        runThenDelete(10, "{\"sleep\":{\"seconds\":1}}");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= 1000, "slept " + tookMs + " ms");
        assertEquals(List.of("stop 10"), log, "the test clock did not move: the whole grace period is left");
        assertGone();
    }

    @Test
    void httpGetHookUsesTheProbersRequestAndAnyStatusPasses() throws IOException {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("User-Agent"));
            log.add("http " + ex.getRequestURI());
            ex.sendResponseHeaders(500, -1); // the kubelet fails an HTTP hook only when there is no answer
            ex.close();
        });
        server.start();
        try {
            runThenDelete(10, "{\"httpGet\":{\"host\":\"127.0.0.1\",\"port\":" + server.getAddress().getPort() + ",\"path\":\"/shutdown\"}}");
        } finally {
            server.stop(0);
        }
        assertEquals(List.of("GET /shutdown kube-probe/1.30"), requests);
        assertEquals(List.of("http /shutdown", "stop 10"), log);
        assertTrue(api.events.stream().noneMatch(e -> e.startsWith("FailedPreStopHook")), api.events::toString);
        assertGone();
    }

    @Test
    void httpGetHookWithoutAnswerIsAWarning() {
        runThenDelete(10, "{\"httpGet\":{\"host\":\"127.0.0.1\",\"port\":1,\"path\":\"/shutdown\"}}");
        assertTrue(api.events.contains("FailedPreStopHook: HTTP lifecycle hook (/shutdown) for Container \"web\" in Pod "
                + "\"web-7d4b9c-x2k4q_default(uid-0001-aaaa)\" failed - error: Get \"http://127.0.0.1:1/shutdown\": "
                + "dial tcp 127.0.0.1:1: connect: connection refused"), api.events::toString);
        assertEquals(List.of("stop 10"), log);
        assertGone();
    }

    private NodeApi.Routing routing(long revision, boolean listsPod) {
        String addresses = listsPod ? "[{\"ip\":\"127.0.0.1\",\"targetRef\":{\"kind\":\"Pod\",\"uid\":\"" + uid + "\"}}]" : "[]";
        ObjectNode endpoints = Json.parse("{\"kind\":\"Endpoints\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},"
                + "\"subsets\":[{\"addresses\":" + addresses + ",\"ports\":[{\"port\":32768}]}]}");
        return new NodeApi.Routing(revision, List.of(), List.of(endpoints), List.of());
    }

    @Test
    void routesToReadsReadyAddressesOnly() {
        assertTrue(RoutingWatcher.routesTo(routing(1, true), uid));
        assertFalse(RoutingWatcher.routesTo(routing(1, false), uid));
        assertFalse(RoutingWatcher.routesTo(routing(1, true), "other-uid"));
        ObjectNode notReady = Json.parse("{\"subsets\":[{\"notReadyAddresses\":[{\"targetRef\":{\"uid\":\"" + uid + "\"}}]}]}");
        assertFalse(RoutingWatcher.routesTo(new NodeApi.Routing(1, List.of(), List.of(notReady), List.of()), uid));
    }

    @Test
    void theStopWaitsUntilThisNodesRoutesDropThePod() throws Exception {
        agent.routingApplied(routing(1, true));
        Thread dropper = new Thread(() -> {
            try { Thread.sleep(400); } catch (InterruptedException e) { return; }
            log.add("routes dropped");
            agent.routingApplied(routing(2, false));
        });
        long start = System.nanoTime();
        dropper.start();
        runThenDelete(10, "{\"exec\":{\"command\":[\"true\"]}}");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        dropper.join();
        assertEquals(List.of("routes dropped", "exec [true]", "stop 10"), log);
        assertTrue(tookMs >= 350 && tookMs < 1900, "waited " + tookMs + " ms, until the snapshot dropped the pod");
        assertGone();
    }

    @Test
    void theRoutingWaitIsCappedAtTwoSeconds() {
        agent.routingApplied(routing(1, true)); // never dropped (e.g. the control plane is unreachable)
        long start = System.nanoTime();
        runThenDelete(10, null);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= 1950 && tookMs < 4000, "waited " + tookMs + " ms");
        assertEquals(List.of("stop 10"), log);
        assertGone();
    }

    @Test
    void aPodNotInTheRoutesIsStoppedAtOnce() {
        agent.routingApplied(routing(1, false));
        long start = System.nanoTime();
        runThenDelete(10, null);
        assertTrue((System.nanoTime() - start) / 1_000_000 < 1500);
        assertEquals(List.of("stop 10"), log);
    }

    @Test
    void deletionGracePeriodSecondsWins() {
        ((ObjectNode) pod.get("spec")).put("terminationGracePeriodSeconds", 30);
        api.put(pod);
        sync();
        ObjectNode deleting = TestPods.deleting(api.pods.get(uid));
        ((ObjectNode) deleting.get("metadata")).put("deletionGracePeriodSeconds", 4);
        api.put(deleting);
        sync();
        assertEquals(List.of("stop 4"), log);
        assertGone();
    }

    private void runWithPostStart(String hook) {
        TestPods.container(pod, 0).set("lifecycle", Json.parse("{\"postStart\":" + hook + "}"));
        ((ObjectNode) pod.get("spec")).put("terminationGracePeriodSeconds", 20);
        api.put(pod);
        sync();
    }

    @Test
    void postStartHookRunsRightAfterTheStart() {
        fake.onExec("web", command -> ExecResult.exited(0, ""));
        runWithPostStart("{\"exec\":{\"command\":[\"sh\",\"-c\",\"echo warm > /tmp/cache\"]}}");
        assertEquals(List.of("exec [sh, -c, echo warm > /tmp/cache]"), log);
        assertTrue(fake.list(Labels.managedOn(NODE)).get(0).running());
        assertTrue(api.events.stream().noneMatch(e -> e.startsWith("FailedPostStartHook")), api.events::toString);
    }

    @Test
    void aFailedPostStartHookStopsTheContainerWhichIsThenRestarted() {
        fake.onExec("web", command -> ExecResult.exited(1, "no cache\n"));
        runWithPostStart("{\"exec\":{\"command\":[\"sh\",\"-c\",\"exit 1\"]}}");
        assertEquals(List.of("exec [sh, -c, exit 1]", "stop 20"), log.subList(0, 2), "stopped with the pod's grace period");
        assertTrue(api.events.contains("FailedPostStartHook: Exec lifecycle hook ([sh -c exit 1]) for Container \"web\" in Pod "
                + "\"web-7d4b9c-x2k4q_default(uid-0001-aaaa)\" failed - error: command 'sh -c exit 1' exited with 1: no cache, "
                + "message: \"no cache\""), api.events::toString);
        assertTrue(api.events.contains("Killing: FailedPostStartHook"), api.events::toString);
        sync(); // seen exited: restarted (the first restart has no back-off), and its hook runs again
        assertEquals(1, api.status(uid).path("containerStatuses").get(0).path("restartCount").asInt());
        assertEquals(2, log.stream().filter(l -> l.startsWith("exec")).count());
    }

    /** The fake engine, with exec and stop calls written to {@link #log}. */
    private final class Recording implements ContainerRuntime {
        @Override public EngineInfo engineInfo() { return fake.engineInfo(); }
        @Override public boolean imagePresent(String image) { return fake.imagePresent(image); }
        @Override public void pullImage(String image) { fake.pullImage(image); }
        @Override public List<dev.mo.runtime.ImageInfo> images() { return fake.images(); }
        @Override public Optional<String> imageId(String image) { return fake.imageId(image); }
        @Override public void saveImage(String image, OutputStream out) throws IOException { fake.saveImage(image, out); }
        @Override public void loadImage(java.nio.file.Path archive) { fake.loadImage(archive); }
        @Override public String createAndStart(ContainerSpec spec) { return fake.createAndStart(spec); }
        @Override public void stop(String id, int graceSeconds) { log.add("stop " + graceSeconds); fake.stop(id, graceSeconds); }
        @Override public void remove(String id) { fake.remove(id); }
        @Override public ExecResult exec(String id, List<String> command, Duration timeout) {
            log.add("exec " + command);
            return fake.exec(id, command, timeout);
        }
        @Override public List<ContainerInfo> list(Map<String, String> labels) { return fake.list(labels); }
        @Override public Optional<ContainerInfo> inspect(String id) { return fake.inspect(id); }
        @Override public Optional<dev.mo.runtime.ContainerStats> stats(String id) { return fake.stats(id); }
        @Override public void logs(String id, LogOptions options, OutputStream out) throws IOException { fake.logs(id, options, out); }
        @Override public AutoCloseable watchContainerExits(Map<String, String> labels, Consumer<String> listener) {
            return fake.watchContainerExits(labels, listener);
        }
        @Override public void close() { fake.close(); }
    }
}

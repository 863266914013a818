package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.runtime.ContainerInfo;
import dev.mo.runtime.FakeRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent over the in-memory runtime and control plane, driven step by step with a test clock. */
class NodeAgentTest {
    private static final String NODE = "n1";
    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final FakeNodeApi api = new FakeNodeApi();
    private final FakeRuntime runtime = new FakeRuntime(clock);
    private final AgentConfig config = AgentConfig.builder(NODE).token("t").clock(clock).build();
    private NodeAgent agent = newAgent();
    private final ObjectNode pod = TestPods.pod("web-7d4b9c-x2k4q", "uid-0001-aaaa", NODE, "busybox:1");
    private final String uid = "uid-0001-aaaa";

    private NodeAgent newAgent() {
        return new NodeAgent(config, api, runtime, null, Runnable::run, "http://127.0.0.1:1");
    }

    @AfterEach
    void close() { agent.close(); }

    /** One round: fetch pods, sync (actions run inline), sync again to report what the actions did. */
    private void sync() {
        agent.pollPods(Duration.ZERO);
        agent.syncOnce();
        agent.syncOnce();
    }

    private List<ContainerInfo> containers() { return runtime.list(Labels.managedOn(NODE)); }

    private JsonNode web() { return api.status(uid).path("containerStatuses").get(0); }

    @Test
    void boundPodRunsWithLabelsAndIsReportedRunning() {
        api.put(pod);
        sync();
        ContainerInfo c = containers().get(0);
        assertEquals("mo_web_web-7d4b9c-x2k4q_default_uid-0001_0", c.name());
        assertEquals(Map.of("mo.managed", "true", "mo.node", NODE, "mo.namespace", "default", "mo.pod", "web-7d4b9c-x2k4q",
                "mo.pod-uid", uid, "mo.container", "web", "mo.restart-count", "0", "mo.owner-kind", "ReplicaSet",
                "mo.owner-name", "web-7d4b9c", "pod-template-hash", "7d4b9c"), c.labels());
        assertEquals("Running", api.status(uid).path("phase").asText());
        assertEquals("docker://" + c.id(), web().path("containerID").asText());
        assertEquals(Map.of("8080/TCP", "127.0.0.1:32768"), api.hostPorts.get(uid));
        assertTrue(api.events.containsAll(List.of("Pulled: Container image \"busybox:1\" already present on machine",
                "Created: Created container web", "Started: Started container web")), api.events.toString());
        int reports = api.reports.size();
        sync();
        assertEquals(reports, api.reports.size(), "an unchanged status is not reported again");
    }

    @Test
    void exitedContainerRestartsAtOnceThenAfterABackOffThatDoubles() {
        api.put(pod);
        sync();
        runtime.exitNow(containers().get(0).id(), 137);
        sync();
        assertEquals(2, runtime.startCount(), "the first failure is restarted at once, as the kubelet does");
        assertEquals(1, web().path("restartCount").asInt());
        assertTrue(web().path("state").has("running"));
        assertEquals(137, web().path("lastState").path("terminated").path("exitCode").asInt());

        // Second failure: CrashLoopBackOff, 10 s.
        runtime.exitNow(containers().stream().filter(ContainerInfo::running).findFirst().orElseThrow().id(), 1);
        sync();
        assertEquals("CrashLoopBackOff", web().path("state").path("waiting").path("reason").asText());
        assertEquals("back-off 10s restarting failed container=web pod=web-7d4b9c-x2k4q_default(uid-0001-aaaa)",
                web().path("state").path("waiting").path("message").asText());
        assertTrue(api.events.contains("BackOff: Back-off restarting failed container web in pod web-7d4b9c-x2k4q_default(uid-0001-aaaa)"));
        clock.advance(Duration.ofSeconds(9));
        sync();
        assertEquals(2, runtime.startCount(), "still backing off after 9 s");
        clock.advance(Duration.ofSeconds(1));
        sync();
        assertEquals(3, runtime.startCount());
        assertEquals(2, web().path("restartCount").asInt());

        // Third failure: the wait doubles to 20 s.
        runtime.exitNow(containers().stream().filter(ContainerInfo::running).findFirst().orElseThrow().id(), 1);
        sync();
        assertEquals("back-off 20s restarting failed container=web pod=web-7d4b9c-x2k4q_default(uid-0001-aaaa)",
                web().path("state").path("waiting").path("message").asText());
        clock.advance(Duration.ofSeconds(20));
        sync();
        assertEquals(3, web().path("restartCount").asInt());
        assertEquals(2, containers().size(), "the run before the current one is kept, older ones removed");
    }

    @Test
    void scriptedExitAndOomAreSeen() {
        runtime.exitAfter("web", Duration.ofSeconds(30), 0);
        api.put(TestPods.withRestartPolicy(pod, "OnFailure"));
        sync();
        clock.advance(Duration.ofSeconds(31));
        sync();
        assertEquals("Succeeded", api.status(uid).path("phase").asText());
        assertEquals("Completed", web().path("state").path("terminated").path("reason").asText());
        assertEquals(1, runtime.startCount(), "OnFailure does not restart exit 0");

        ObjectNode other = TestPods.withRestartPolicy(TestPods.pod("oom", "uid-oom", NODE, "busybox:1"), "Never");
        runtime.runForever("web");
        api.put(other);
        sync();
        String id = containers().stream().filter(c -> c.label(Labels.POD_UID).equals("uid-oom")).findFirst().orElseThrow().id();
        runtime.oomKill(id);
        sync();
        assertEquals("OOMKilled", api.status("uid-oom").path("containerStatuses").get(0).path("state").path("terminated").path("reason").asText());
        assertEquals("Failed", api.status("uid-oom").path("phase").asText());
    }

    @Test
    void deletedPodIsStoppedRemovedAndReportedTerminated() {
        api.put(pod);
        sync();
        api.put(TestPods.deleting(api.pods.get(uid)));
        sync();
        assertEquals(List.of(), containers());
        assertEquals(List.of(uid), api.terminated);
        assertTrue(api.events.contains("Killing: Stopping container web"));
    }

    @Test
    void orphanIsRemoved() {
        api.put(pod);
        sync();
        api.remove(uid); // force-deleted: gone without a deletionTimestamp phase
        sync();
        assertEquals(List.of(), containers());
    }

    @Test
    void noOrphanRemovalBeforeThePodsAreKnown() {
        api.put(pod);
        sync();
        agent.close();
        agent = newAgent();
        agent.syncOnce(); // has not asked the control plane yet: must not treat the container as an orphan
        assertEquals(1, containers().size());
    }

    @Test
    void restartedAgentAdoptsRunningContainers() {
        api.put(pod);
        sync();
        runtime.exitNow(containers().get(0).id(), 1);
        clock.advance(Duration.ofSeconds(10));
        sync();
        sync();
        ContainerInfo before = containers().stream().filter(ContainerInfo::running).findFirst().orElseThrow();
        assertEquals("1", before.label(Labels.RESTART_COUNT));

        agent.close();
        agent = newAgent();
        sync();
        ContainerInfo after = containers().stream().filter(ContainerInfo::running).findFirst().orElseThrow();
        assertEquals(before.id(), after.id(), "adopted, not restarted");
        assertEquals(2, runtime.startCount());
        assertEquals(1, web().path("restartCount").asInt());
    }

    @Test
    void containerRemovedByHandIsStartedAgainWithNextRestartCount() {
        api.put(pod);
        sync();
        String first = containers().get(0).id();
        runtime.remove(first);
        sync();
        ContainerInfo again = containers().get(0);
        assertNotEquals(first, again.id());
        assertEquals("1", again.label(Labels.RESTART_COUNT));
        assertEquals(1, web().path("restartCount").asInt());
    }

    @Test
    void missingConfigMapWaitsWithCreateContainerConfigErrorThenStarts() {
        TestPods.container(pod, 0).putArray("env").addObject().put("name", "LOG_LEVEL").putObject("valueFrom")
                .putObject("configMapKeyRef").put("name", "app-config").put("key", "LOG_LEVEL");
        api.put(pod);
        sync();
        assertEquals(List.of(), containers());
        assertEquals("Pending", api.status(uid).path("phase").asText());
        assertEquals("CreateContainerConfigError", web().path("state").path("waiting").path("reason").asText());
        assertEquals("configmap \"app-config\" not found", web().path("state").path("waiting").path("message").asText());
        assertTrue(api.events.contains("Failed: Error: configmap \"app-config\" not found"));

        api.putConfig("configmaps", "default", "app-config", Map.of("LOG_LEVEL", "debug"));
        sync();
        assertEquals(1, containers().size());
        assertTrue(web().path("state").has("running"));
    }

    @Test
    void missingImageIsPulledOnceThenBacksOff() {
        runtime.removeImage("ghcr.io/x/app:1").failPulls("ghcr.io/x/app:1", "registry unreachable");
        api.put(TestPods.pod("app", "uid-app", NODE, "ghcr.io/x/app:1"));
        sync();
        JsonNode waiting = api.status("uid-app").path("containerStatuses").get(0).path("state").path("waiting");
        assertEquals("ErrImagePull", waiting.path("reason").asText());
        assertTrue(api.events.contains("Failed: Failed to pull image \"ghcr.io/x/app:1\": registry unreachable"
                + " (and no other Ready node has image ghcr.io/x/app:1)"), api.events.toString());
        clock.advance(Duration.ofSeconds(3));
        sync();
        waiting = api.status("uid-app").path("containerStatuses").get(0).path("state").path("waiting");
        assertEquals("ImagePullBackOff", waiting.path("reason").asText());
        assertEquals(List.of("ghcr.io/x/app:1"), runtime.pulls(), "one pull, then back-off");
        clock.advance(Duration.ofSeconds(7));
        sync();
        assertEquals(2, runtime.pulls().size());
    }

    @Test
    void heartbeatPostsTheNodeObject() {
        agent.heartbeatOnce();
        ObjectNode node = api.heartbeats.get(0);
        assertEquals("n1", node.path("metadata").path("name").asText());
        assertEquals("http://127.0.0.1:1", node.path("metadata").path("annotations").path("mo.dev/agent-url").asText());
        assertEquals("4", node.path("status").path("capacity").path("cpu").asText());
        assertEquals("8388608Ki", node.path("status").path("capacity").path("memory").asText());
        assertEquals("docker://fake-1.0", node.path("status").path("nodeInfo").path("containerRuntimeVersion").asText());
        assertEquals("Ready", node.path("status").path("conditions").get(0).path("type").asText());
    }

    @Test
    void startedAgentRunsAndHealsOnItsOwn() {
        FakeRuntime liveRuntime = new FakeRuntime();
        try (NodeAgent live = new NodeAgent(AgentConfig.of(NODE, "127.0.0.1", "t"), api, liveRuntime, null, null, "http://x")) {
            live.start();
            api.put(pod);
            await().atMost(Duration.ofSeconds(5)).until(() -> api.status(uid) != null
                    && "Running".equals(api.status(uid).path("phase").asText()));
            assertEquals(1, api.heartbeats.size(), "registered once at start");
            String first = liveRuntime.list(Labels.managedOn(NODE)).get(0).id();
            liveRuntime.remove(first); // the exit event wakes the sync at once
            await().atMost(Duration.ofSeconds(2)).until(() -> liveRuntime.list(Labels.managedOn(NODE)).stream()
                    .anyMatch(c -> c.running() && "1".equals(c.label(Labels.RESTART_COUNT))));
        }
    }
}

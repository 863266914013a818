package dev.mo.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.runtime.ContainerInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodSyncPlannerTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final String NODE = "n1";
    private final PodSyncPlanner planner = new PodSyncPlanner();
    private final ObjectNode pod = TestPods.pod("web-abc", "uid-1234-5678", NODE, "busybox:1");
    private final Map<String, CrashLoopBackOff.Entry> backOff = new HashMap<>();
    private final Map<String, StartFailure> failures = new HashMap<>();
    private final Map<String, Integer> known = new HashMap<>();

    private static ContainerInfo container(ObjectNode pod, String name, int restart, ContainerInfo.State state, int exitCode) {
        Map<String, String> labels = Labels.forContainer(NODE, pod, name, restart);
        Instant created = NOW.minusSeconds(100 - restart);
        return new ContainerInfo("id-" + name + "-" + restart, Labels.containerName(pod, name, restart), "busybox:1", "sha256:1",
                labels, state, exitCode, false, "", created, created,
                state == ContainerInfo.State.RUNNING ? null : NOW.minusSeconds(5), "172.17.0.2",
                state == ContainerInfo.State.RUNNING ? Map.of("8080/TCP", "127.0.0.1:32768") : Map.of());
    }

    private static ContainerInfo running(ObjectNode pod, int restart) { return container(pod, "web", restart, ContainerInfo.State.RUNNING, 0); }

    private static ContainerInfo exited(ObjectNode pod, int restart, int code) { return container(pod, "web", restart, ContainerInfo.State.EXITED, code); }

    private List<SyncAction> plan(List<ObjectNode> pods, List<ContainerInfo> containers) {
        return planner.plan(new PodSyncPlanner.Input("127.0.0.1", pods, containers, k -> Optional.ofNullable(backOff.get(k)),
                failures, known, Map.of(), Map.of(), Set.of(), ContainerReadiness.RUNNING_IS_READY, NOW));
    }

    private static List<String> describe(List<SyncAction> actions) {
        return actions.stream().filter(a -> !(a instanceof SyncAction.ReportStatus)).map(a -> {
            if (a instanceof SyncAction.StartContainer s) return "start " + s.containerName() + "#" + s.restartCount();
            if (a instanceof SyncAction.RemoveContainer r) return "remove " + r.container().id() + " grace " + r.graceSeconds();
            if (a instanceof SyncAction.KillPod k) return "kill " + k.containers().size() + " grace " + k.graceSeconds();
            if (a instanceof SyncAction.TerminatePod) return "terminated";
            return a.toString();
        }).toList();
    }

    private static ObjectNode status(List<SyncAction> actions) {
        return actions.stream().filter(a -> a instanceof SyncAction.ReportStatus).map(a -> ((SyncAction.ReportStatus) a).status())
                .findFirst().orElseThrow();
    }

    private static JsonNode web(ObjectNode status) { return status.path("containerStatuses").get(0); }

    @Test
    void newPodStartsRunZeroAndIsPendingContainerCreating() {
        List<SyncAction> actions = plan(List.of(pod), List.of());
        assertEquals(List.of("start web#0"), describe(actions));
        ObjectNode s = status(actions);
        assertEquals("Pending", s.path("phase").asText());
        assertEquals("ContainerCreating", web(s).path("state").path("waiting").path("reason").asText());
        assertEquals("127.0.0.1", s.path("hostIP").asText());
    }

    @Test
    void runningContainerIsLeftAloneAndReportedReady() {
        List<SyncAction> actions = plan(List.of(pod), List.of(running(pod, 3)));
        assertEquals(List.of(), describe(actions));
        ObjectNode s = status(actions);
        assertEquals("Running", s.path("phase").asText());
        assertEquals("172.17.0.2", s.path("podIP").asText());
        assertEquals(3, web(s).path("restartCount").asInt(), "restart count continues from the label");
        assertEquals("docker://id-web-3", web(s).path("containerID").asText());
        assertTrue(web(s).path("ready").asBoolean());
        assertEquals(NOW.minusSeconds(97).toString(), web(s).path("state").path("running").path("startedAt").asText());
        assertEquals("True", condition(s, "Ready"));
        SyncAction.ReportStatus report = (SyncAction.ReportStatus) actions.get(0);
        assertEquals(Map.of("8080/TCP", "127.0.0.1:32768"), report.hostPorts());
    }

    private static String condition(ObjectNode s, String type) {
        for (JsonNode c : s.path("conditions")) if (type.equals(c.path("type").asText())) return c.path("status").asText();
        return null;
    }

    /** restartPolicy x exit code x back-off state -> what happens to an exited container (run 2). */
    @ParameterizedTest(name = "{0}, exit {1}, back-off passed={2} -> {3} / {4} / phase {5}")
    @CsvSource({
            // policy,  exit, backOffPassed, actions,      state,                          phase
            "Always,    1,    false,         '',           waiting:CrashLoopBackOff,       Running",
            "Always,    1,    true,          start web#3,  waiting:ContainerCreating,      Running",
            "Always,    0,    true,          start web#3,  waiting:ContainerCreating,      Running",
            "OnFailure, 1,    true,          start web#3,  waiting:ContainerCreating,      Running",
            "OnFailure, 0,    true,          '',           terminated:Completed,           Succeeded",
            "Never,     1,    true,          '',           terminated:Error,               Failed",
            "Never,     0,    true,          '',           terminated:Completed,           Succeeded",
    })
    void restartPolicyAndBackOff(String policy, int exit, boolean backOffPassed, String expectedAction, String expectedState, String phase) {
        TestPods.withRestartPolicy(pod, policy);
        ContainerInfo dead = exited(pod, 2, exit);
        Instant restartAt = backOffPassed ? NOW.minusSeconds(1) : NOW.plusSeconds(15);
        backOff.put("uid-1234-5678/web", new CrashLoopBackOff.Entry(dead.id(), Duration.ofSeconds(20), restartAt));
        List<SyncAction> actions = plan(List.of(pod), List.of(dead));
        assertEquals(expectedAction.isEmpty() ? List.of() : List.of(expectedAction), describe(actions));
        ObjectNode s = status(actions);
        String[] st = expectedState.split(":");
        assertEquals(st[1], web(s).path("state").path(st[0]).path("reason").asText(), s.toString());
        assertEquals(phase, s.path("phase").asText());
        assertEquals(2, web(s).path("restartCount").asInt());
    }

    @Test
    void crashLoopBackOffMessageAndLastStateAsKubernetes() {
        ContainerInfo dead = exited(pod, 0, 137);
        backOff.put("uid-1234-5678/web", new CrashLoopBackOff.Entry(dead.id(), Duration.ofSeconds(10), NOW.plusSeconds(5)));
        JsonNode web = web(status(plan(List.of(pod), List.of(dead))));
        assertEquals("back-off 10s restarting failed container=web pod=web-abc_default(uid-1234-5678)",
                web.path("state").path("waiting").path("message").asText());
        assertEquals(137, web.path("lastState").path("terminated").path("exitCode").asInt());
        assertEquals("Error", web.path("lastState").path("terminated").path("reason").asText());
        assertEquals("False", condition(status(plan(List.of(pod), List.of(dead))), "Ready"));
    }

    @Test
    void oomKilledIsReportedAsSuch() {
        TestPods.withRestartPolicy(pod, "Never");
        ContainerInfo c = exited(pod, 0, 137);
        ContainerInfo oom = new ContainerInfo(c.id(), c.name(), c.image(), c.imageId(), c.labels(), c.state(), 137, true, "",
                c.createdAt(), c.startedAt(), c.finishedAt(), "", Map.of());
        assertEquals("OOMKilled", web(status(plan(List.of(pod), List.of(oom)))).path("state").path("terminated").path("reason").asText());
    }

    @Test
    void vanishedContainerStartsTheNextRun() {
        known.put("uid-1234-5678/web", 4); // the agent saw run 4, then someone ran docker rm -f
        assertEquals(List.of("start web#5"), describe(plan(List.of(pod), List.of())));
    }

    @Test
    void afterAgentRestartTheRunComesFromThePodStatus() {
        pod.putObject("status").putArray("containerStatuses").addObject()
                .put("name", "web").put("containerID", "docker://gone").put("restartCount", 2);
        assertEquals(List.of("start web#3"), describe(plan(List.of(pod), List.of())));
    }

    @Test
    void olderRunsAreRemovedButThePreviousIsKept() {
        List<SyncAction> actions = plan(List.of(pod), List.of(running(pod, 3), exited(pod, 2, 1), exited(pod, 1, 1), exited(pod, 0, 1)));
        assertEquals(List.of("remove id-web-1 grace 0", "remove id-web-0 grace 0"), describe(actions));
        assertEquals(1, web(status(actions)).path("lastState").path("terminated").path("exitCode").asInt());
    }

    @Test
    void startFailuresWaitForTheirRetryTime() {
        failures.put("uid-1234-5678/web", new StartFailure(StartFailure.CONFIG_ERROR, "configmap \"app-config\" not found",
                "busybox:1", NOW.minusSeconds(1), NOW.minusSeconds(1)));
        List<SyncAction> retry = plan(List.of(pod), List.of());
        assertEquals(List.of("start web#0"), describe(retry), "config errors are retried on every sync");
        assertEquals("CreateContainerConfigError", web(status(retry)).path("state").path("waiting").path("reason").asText());
        assertEquals("configmap \"app-config\" not found", web(status(retry)).path("state").path("waiting").path("message").asText());

        failures.put("uid-1234-5678/web", new StartFailure(StartFailure.ERR_IMAGE_PULL, "Failed to pull image \"busybox:1\": nope",
                "busybox:1", NOW.minusMillis(500), NOW.plusSeconds(10)));
        List<SyncAction> justFailed = plan(List.of(pod), List.of());
        assertEquals(List.of(), describe(justFailed));
        assertEquals("ErrImagePull", web(status(justFailed)).path("state").path("waiting").path("reason").asText());

        failures.put("uid-1234-5678/web", new StartFailure(StartFailure.ERR_IMAGE_PULL, "x", "busybox:1", NOW.minusSeconds(3), NOW.plusSeconds(7)));
        JsonNode waiting = web(status(plan(List.of(pod), List.of()))).path("state").path("waiting");
        assertEquals("ImagePullBackOff", waiting.path("reason").asText());
        assertEquals("Back-off pulling image \"busybox:1\"", waiting.path("message").asText());
    }

    @ParameterizedTest(name = "terminationGrace {0}, deletionGrace {1} -> {2}")
    @CsvSource({"30,-1,30", "30,5,5", "1,30,30", "0,-1,0", "30,0,0"})
    void deletingPodIsKilledWithItsGracePeriod(int terminationGrace, int deletionGrace, int expected) {
        ObjectNode p = TestPods.deleting(pod);
        ((ObjectNode) p.get("spec")).put("terminationGracePeriodSeconds", terminationGrace);
        if (deletionGrace >= 0) ((ObjectNode) p.get("metadata")).put("deletionGracePeriodSeconds", deletionGrace);
        assertEquals(List.of("kill 2 grace " + expected), describe(plan(List.of(p), List.of(running(pod, 1), exited(pod, 0, 1)))));
    }

    @ParameterizedTest(name = "grace {0}, hook took {1} ms -> {2}")
    @CsvSource({"30,0,30", "30,999,30", "30,1000,29", "30,2500,28", "5,4000,2", "5,9000,2", "1,3000,1", "0,0,0", "10,-5,10"})
    void whatIsLeftOfTheGracePeriodAfterThePreStopHook(int grace, long tookMillis, int expected) {
        assertEquals(expected, PodSyncPlanner.remainingGrace(grace, Duration.ofMillis(tookMillis)));
    }

    @Test
    void deletingPodWithoutContainersIsReportedTerminatedOnce() {
        ObjectNode p = TestPods.deleting(pod);
        assertEquals(List.of("terminated"), describe(plan(List.of(p), List.of())));
        List<SyncAction> again = planner.plan(new PodSyncPlanner.Input("127.0.0.1", List.of(p), List.of(), k -> Optional.empty(),
                Map.of(), Map.of(), Map.of(), Map.of(), Set.of("uid-1234-5678"), ContainerReadiness.RUNNING_IS_READY, NOW));
        assertEquals(List.of(), describe(again));
    }

    @Test
    void containersOfUnboundPodsAreOrphans() {
        ObjectNode gone = TestPods.pod("old", "uid-gone", NODE, "busybox:1");
        assertEquals(List.of("start web#0", "remove id-web-0 grace 2"), describe(plan(List.of(pod), List.of(running(gone, 0)))));
    }

    @Test
    void readinessIsPluggable() {
        List<SyncAction> actions = planner.plan(new PodSyncPlanner.Input("127.0.0.1", List.of(pod), List.of(running(pod, 0)),
                k -> Optional.empty(), Map.of(), Map.of(), Map.of(), Map.of(), Set.of(), (p, name, c) -> false, NOW));
        ObjectNode s = status(actions);
        assertEquals("False", condition(s, "Ready"));
        assertEquals("Running", s.path("phase").asText());
        assertEquals(false, web(s).path("ready").asBoolean());
    }

    private List<SyncAction.KillContainer> kills(ObjectNode p, ContainerReadiness probes) {
        return planner.plan(new PodSyncPlanner.Input("127.0.0.1", List.of(p), List.of(running(p, 0)), k -> Optional.empty(),
                Map.of(), Map.of(), Map.of(), Map.of(), Set.of(), probes, NOW)).stream()
                .filter(a -> a instanceof SyncAction.KillContainer).map(a -> (SyncAction.KillContainer) a).toList();
    }

    /** What the probes say: ready, started, and which probe failed for good (null = none). */
    private static ContainerReadiness probes(boolean ready, boolean started, String failed) {
        return new ContainerReadiness() {
            public boolean isReady(ObjectNode p, String name, ContainerInfo c) { return ready; }
            public boolean isStarted(ObjectNode p, String name, ContainerInfo c) { return started; }
            public String failedProbe(ObjectNode p, String name, ContainerInfo c) { return failed; }
        };
    }

    @ParameterizedTest(name = "{0} probe failed, restartPolicy {1}, probe grace {2} -> \"{3}\" grace {4}")
    @CsvSource(delimiter = '|', textBlock = """
            liveness | Always    | -1 | Container web failed liveness probe, will be restarted | 1
            liveness | OnFailure | 5  | Container web failed liveness probe, will be restarted | 5
            startup  | Always    | 0  | Container web failed startup probe, will be restarted  | 0
            liveness | Never     | -1 | Container web failed liveness probe                    | 1
            """)
    void aFailedProbeKillsTheContainerWithItsGracePeriod(String probe, String policy, int probeGrace, String message, int grace) {
        ObjectNode p = TestPods.withRestartPolicy(pod.deepCopy(), policy);
        ObjectNode spec = TestPods.container(p, 0).putObject(probe + "Probe");
        spec.putObject("exec").putArray("command").add("true");
        if (probeGrace >= 0) spec.put("terminationGracePeriodSeconds", probeGrace);
        List<SyncAction.KillContainer> kills = kills(p, probes(true, true, probe));
        assertEquals(1, kills.size());
        assertEquals(message, kills.get(0).message());
        assertEquals(grace, kills.get(0).graceSeconds(), "the probe's grace, else the pod's (1 s in TestPods)");
        assertEquals("id-web-0", kills.get(0).container().id());
        assertEquals(List.of(), kills(p, probes(true, true, null)), "healthy: nothing to kill");
    }

    @Test
    void startedAndReadyComeFromTheProbes() {
        List<SyncAction> actions = planner.plan(new PodSyncPlanner.Input("127.0.0.1", List.of(pod), List.of(running(pod, 0)),
                k -> Optional.empty(), Map.of(), Map.of(), Map.of(), Map.of(), Set.of(), probes(true, false, null), NOW));
        ObjectNode s = status(actions);
        assertEquals(false, web(s).path("started").asBoolean());
        assertEquals(false, web(s).path("ready").asBoolean(), "not started means not ready, whatever readiness says");
        assertEquals("False", condition(s, "ContainersReady"));
        assertEquals("containers with unready status: [web]", s.path("conditions").get(1).path("message").asText());
    }
}

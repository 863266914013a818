package dev.mo.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.agent.AgentConfig;
import dev.mo.agent.AgentProcess;
import dev.mo.agent.Labels;
import dev.mo.controlplane.ControlPlane;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import dev.mo.runtime.ContainerInfo;
import dev.mo.runtime.FakeRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The whole loop without Docker: control plane in memory, two agents over fake runtimes,
 * bound straight to the control plane's node service. What the end-to-end tests show on a
 * real engine, checked here in a second.
 */
class ClusterOverFakeRuntimeTest {
    ControlPlane cp;
    final List<AgentProcess> agents = new ArrayList<>();
    final FakeRuntime runtimeA = new FakeRuntime();
    final FakeRuntime runtimeB = new FakeRuntime();

    @BeforeEach
    void start() {
        cp = ControlPlane.inMemory(Clock.systemUTC(), Duration.ofMillis(200));
        agents.add(AgentProcess.start(AgentConfig.of("node-a", "127.0.0.1", "t"), cp.nodes(), runtimeA));
        agents.add(AgentProcess.start(AgentConfig.of("node-b", "127.0.0.1", "t"), cp.nodes(), runtimeB));
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.store().list(Kind.NODE, null).size() == 2);
    }

    @AfterEach
    void stop() {
        agents.forEach(AgentProcess::close);
        cp.close();
    }

    static ObjectNode deployment(int replicas) {
        return Json.parse("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"web"}},
                  "template":{"metadata":{"labels":{"app":"web"}},
                   "spec":{"containers":[{"name":"web","image":"web:1","ports":[{"containerPort":8080}]}]}}}}"""
                .formatted(replicas));
    }

    List<ObjectNode> pods() { return cp.objects().list(Kind.POD, "default", LabelSelector.parse("app=web")); }

    long running() { return pods().stream().filter(p -> "Running".equals(Json.text(p, "status.phase"))).count(); }

    List<ContainerInfo> containers(FakeRuntime r) {
        return r.list(Map.of(Labels.MANAGED, "true")).stream().filter(ContainerInfo::running).toList();
    }

    @Test
    void replicasRunOnBothNodesAndAKilledContainerIsRestartedAndCounted() {
        cp.objects().apply(List.of(deployment(4)), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> running() == 4);
        assertEquals(2, containers(runtimeA).size());
        assertEquals(2, containers(runtimeB).size());

        ContainerInfo victim = containers(runtimeA).get(0);
        runtimeA.exitNow(victim.id(), 137);
        await().atMost(Duration.ofSeconds(10)).until(() -> pods().stream().anyMatch(p -> restartCount(p) == 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> running() == 4 && containers(runtimeA).size() == 2);
        ObjectNode restarted = pods().stream().filter(p -> restartCount(p) == 1).findFirst().orElseThrow();
        assertEquals(victim.label(Labels.POD), Meta.name(restarted));
        assertEquals(137, restarted.at("/status/containerStatuses/0/lastState/terminated/exitCode").asInt());
    }

    static int restartCount(ObjectNode pod) { return pod.at("/status/containerStatuses/0/restartCount").asInt(); }

    @Test
    void scalingDownStopsContainersAndRemovesThePods() {
        cp.objects().apply(List.of(deployment(4)), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> running() == 4);
        cp.objects().apply(List.of(deployment(1)), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> pods().size() == 1
                && containers(runtimeA).size() + containers(runtimeB).size() == 1);
    }

    @Test
    void deletingTheDeploymentLeavesNoContainer() {
        cp.objects().apply(List.of(deployment(3)), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> running() == 3);
        cp.objects().delete(Kind.DEPLOYMENT, "default", "web");
        await().atMost(Duration.ofSeconds(10)).until(() -> pods().isEmpty()
                && runtimeA.list(Map.of(Labels.MANAGED, "true")).isEmpty()
                && runtimeB.list(Map.of(Labels.MANAGED, "true")).isEmpty());
        assertTrue(cp.objects().list(Kind.REPLICA_SET, "default", LabelSelector.EVERYTHING).isEmpty());
    }

    @Test
    void aPodWhoseImageIsMissingWaitsWithTheReason() {
        runtimeA.failPulls("web:1", "no registry here");
        runtimeB.failPulls("web:1", "no registry here");
        runtimeA.removeImage("web:1");
        runtimeB.removeImage("web:1");
        cp.objects().apply(List.of(deployment(1)), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> pods().size() == 1 && List.of("ErrImagePull", "ImagePullBackOff")
                .contains(pods().get(0).at("/status/containerStatuses/0/state/waiting/reason").asText()));
        assertEquals("Pending", Json.text(pods().get(0), "status.phase"));
    }
}

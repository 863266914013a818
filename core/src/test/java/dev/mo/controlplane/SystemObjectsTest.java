package dev.mo.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.controller.NodeLifecycleController;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.model.Meta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The namespaces and the kubernetes Service every cluster has from its first start. */
class SystemObjectsTest {
    @TempDir
    Path dir;

    private ControlPlane start(int port) {
        return ControlPlane.start(new ControlPlane.Config(dir.resolve("state"), "127.0.0.1", port,
                Duration.ofMillis(100), Clock.systemUTC(), NodeLifecycleController.Timing.defaults(), List.of()));
    }

    private static List<String> namespaces(ControlPlane cp) {
        return cp.objects().list(Kind.NAMESPACE, null, LabelSelector.EVERYTHING).stream().map(Meta::name).sorted().toList();
    }

    @Test
    void aFreshControlPlaneHasTheSystemNamespacesAndTheKubernetesService() {
        try (ControlPlane cp = start(0)) {
            assertEquals(List.of("default", "kube-node-lease", "kube-public", "kube-system"), namespaces(cp));
            for (String ns : SystemObjects.NAMESPACES) {
                ObjectNode namespace = cp.objects().require(Kind.NAMESPACE, null, ns);
                assertEquals("Active", Json.text(namespace, "status.phase"));
                assertEquals(ns, Meta.labels(namespace).get("kubernetes.io/metadata.name"));
            }

            ObjectNode service = cp.objects().require(Kind.SERVICE, "default", "kubernetes");
            assertEquals("10.96.0.1", Json.text(service, "spec.clusterIP"));
            assertEquals(List.of("10.96.0.1"), List.of(Json.text(service, "spec.clusterIPs.0")));
            assertEquals("ClusterIP", Json.text(service, "spec.type"));
            assertTrue(Json.at(service, "spec.selector").isMissingNode());
            assertEquals(Map.of("component", "apiserver", "provider", "kubernetes"), Meta.labels(service));
            ObjectNode port = (ObjectNode) Json.at(service, "spec.ports.0");
            assertEquals("https", port.get("name").asText());
            assertEquals(443, port.get("port").asInt());
            assertEquals("TCP", port.get("protocol").asText());
            assertEquals(cp.port(), port.get("targetPort").asInt());

            ObjectNode endpoints = cp.objects().require(Kind.ENDPOINTS, "default", "kubernetes");
            assertEquals(Json.parse("""
                    {"subsets":[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"name":"https","port":%d,"protocol":"TCP"}]}]}
                    """.formatted(cp.port())).get("subsets"), endpoints.get("subsets"));
            assertTrue(Json.at(endpoints, "metadata.ownerReferences").isMissingNode(), "nothing owns them: nothing collects them");
        }
    }

    @Test
    void theEndpointsControllerLeavesTheKubernetesEndpointsAlone() throws Exception {
        try (ControlPlane cp = start(0)) {
            ObjectNode before = cp.objects().require(Kind.ENDPOINTS, "default", "kubernetes");
            Thread.sleep(500); // several passes of every controller
            assertEquals(before, cp.objects().require(Kind.ENDPOINTS, "default", "kubernetes"));
            assertTrue(cp.objects().get(Kind.SERVICE, "default", "kubernetes").isPresent());
        }
    }

    @Test
    void aRestartNeitherDuplicatesNorChangesThem() {
        Map<String, ObjectNode> before = new java.util.TreeMap<>();
        int port;
        try (ControlPlane cp = start(0)) {
            port = cp.port();
            for (String ns : SystemObjects.NAMESPACES) before.put("ns/" + ns, cp.objects().require(Kind.NAMESPACE, null, ns));
            before.put("svc", cp.objects().require(Kind.SERVICE, "default", "kubernetes"));
            before.put("ep", cp.objects().require(Kind.ENDPOINTS, "default", "kubernetes"));
        }
        try (ControlPlane cp = start(port)) {
            assertEquals(List.of("default", "kube-node-lease", "kube-public", "kube-system"), namespaces(cp));
            for (String ns : SystemObjects.NAMESPACES) {
                assertEquals(before.get("ns/" + ns), cp.objects().require(Kind.NAMESPACE, null, ns));
            }
            assertEquals(before.get("svc"), cp.objects().require(Kind.SERVICE, "default", "kubernetes"));
            assertEquals(before.get("ep"), cp.objects().require(Kind.ENDPOINTS, "default", "kubernetes"));
            assertEquals(1, cp.objects().list(Kind.SERVICE, null, LabelSelector.EVERYTHING).size());
        }
    }

    @Test
    void aRestartOnAnotherPortPointsTheServiceAndEndpointsThere() {
        String uid;
        try (ControlPlane cp = start(0)) {
            uid = Meta.uid(cp.objects().require(Kind.SERVICE, "default", "kubernetes"));
        }
        try (ControlPlane cp = start(0)) {
            ObjectNode service = cp.objects().require(Kind.SERVICE, "default", "kubernetes");
            assertEquals(uid, Meta.uid(service));
            assertEquals(cp.port(), Json.at(service, "spec.ports.0.targetPort").asInt());
            assertEquals(cp.port(), Json.at(cp.objects().require(Kind.ENDPOINTS, "default", "kubernetes"),
                    "subsets.0.ports.0.port").asInt());
        }
    }

    @Test
    void manifestsInstallIntoKubeSystem() {
        ControlPlane cp = ControlPlane.inMemory(Clock.systemUTC(), Duration.ofMillis(100));
        try (cp) {
            ObjectNode cm = Json.parse("""
                    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"coredns","namespace":"kube-system"},
                     "data":{"Corefile":".:53 {}"}}""");
            ObjectService.ApplyResult result = cp.objects().apply(List.of(cm), false);
            assertEquals("created", result.results().get(0).action());
            assertTrue(cp.objects().get(Kind.CONFIG_MAP, "kube-system", "coredns").isPresent());
        }
    }

    @Test
    void theSystemNamespacesKubernetesProtectsCannotBeDeleted() {
        try (ControlPlane cp = ControlPlane.inMemory(Clock.systemUTC(), Duration.ofMillis(100))) {
            for (String ns : List.of("default", "kube-system", "kube-public")) {
                ApiError e = assertThrows(ApiError.class, () -> cp.objects().delete(Kind.NAMESPACE, null, ns));
                assertEquals(403, e.status());
                assertEquals(List.of("namespaces \"" + ns + "\" is forbidden: this namespace may not be deleted"), e.messages());
                assertEquals("Active", Json.text(cp.objects().require(Kind.NAMESPACE, null, ns), "status.phase"));
            }
            // Kubernetes lets kube-node-lease go (and makes it again); so does mo, at its next start.
            ObjectNode deleted = cp.objects().delete(Kind.NAMESPACE, null, "kube-node-lease");
            assertEquals("Terminating", Json.text(deleted, "status.phase"));
        }
    }

    @Test
    void aUserServiceNeverGetsTheApiAddress() {
        try (ControlPlane cp = start(0)) {
            ObjectNode svc = Json.parse("""
                    {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},
                     "spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}""");
            cp.objects().apply(List.of(svc), false);
            assertNotEquals("10.96.0.1", Json.text(cp.objects().require(Kind.SERVICE, "default", "web"), "spec.clusterIP"));
        }
    }

    @Test
    void aWildcardBindGivesAnAddressOtherHostsCanUse() {
        String address = SystemObjects.endpointAddress("0.0.0.0");
        assertTrue(address.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), address);
        assertFalse(address.startsWith("169.254."), address);
        assertEquals("127.0.0.1", SystemObjects.endpointAddress("127.0.0.1"));
    }
}

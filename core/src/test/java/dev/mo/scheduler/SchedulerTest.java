package dev.mo.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SchedulerTest {
    static final ObjectNode POD = Json.parse(
            "{\"metadata\":{\"name\":\"web-1\",\"ownerReferences\":[{\"uid\":\"rs1\",\"controller\":true}]}}");

    /** Nodes as "name:ready:unschedulable:pods:podsOfRs1" separated by spaces. */
    static List<NodeInfo> nodes(String spec) {
        List<NodeInfo> out = new ArrayList<>();
        if (spec.isBlank()) return out;
        for (String n : spec.trim().split(" ")) {
            String[] f = n.split(":");
            Map<String, Integer> owners = new HashMap<>();
            owners.put("rs1", Integer.parseInt(f[4]));
            out.add(new NodeInfo(f[0], Boolean.parseBoolean(f[1]), Boolean.parseBoolean(f[2]),
                    Integer.parseInt(f[3]), owners));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // nodes                                           | chosen | reason
            "a:true:false:0:0                                  | a      | ''",
            "a:true:false:5:0 b:true:false:1:0                 | b      | ''",
            // spreading replicas beats the total pod count
            "a:true:false:1:1 b:true:false:9:0                 | b      | ''",
            // ties go to the first name, so the choice is repeatable
            "b:true:false:2:0 a:true:false:2:0                 | a      | ''",
            "a:false:false:0:0 b:true:false:9:3                | b      | ''",
            "a:false:false:0:0 b:true:true:0:0                 | ''     | 0/2 nodes are available: 1 node(s) were not ready, 1 node(s) were unschedulable.",
            "' '                                               | ''     | 0/0 nodes are available: no nodes registered.",
    })
    void choosesAsTheTableSays(String nodeSpec, String chosen, String reason) {
        Scheduler.Decision d = Scheduler.choose(POD, nodes(nodeSpec));
        assertEquals(chosen, d.node().orElse(""));
        assertEquals(reason, d.reason());
    }

    @org.junit.jupiter.api.Test
    void aPodWithAClaimGoesWhereTheClaimsVolumeIs() {
        // b would win on spreading, but the volume lives on a
        assertEquals("a", Scheduler.choose(POD, nodes("a:true:false:5:3 b:true:false:0:0"), "a").node().orElse(""));
        Scheduler.Decision d = Scheduler.choose(POD, nodes("a:false:false:0:0 b:true:false:0:0"), "a");
        assertTrue(d.node().isEmpty());
        // sorted as text, as the kube-scheduler sorts its reasons
        assertEquals("0/2 nodes are available: 1 node(s) had volume node affinity conflict, 1 node(s) were not ready.",
                d.reason());
    }

    /** A Ready node that can give {@code cpu} and {@code memory} to {@code maxPods} pods, of which some are taken. */
    static NodeInfo node(String name, String cpu, String memory, long maxPods, String usedCpu, String usedMemory,
                                   int bound) {
        return new NodeInfo(name, true, false, bound, Map.of(), resources(cpu, memory), maxPods,
                resources(usedCpu, usedMemory), bound);
    }

    static Resources resources(String cpu, String memory) {
        return new Resources(dev.mo.manifest.Quantity.parseMillis(cpu), dev.mo.manifest.Quantity.parseBytes(memory));
    }

    static ObjectNode podRequesting(String cpu, String memory) {
        return Json.parse("""
                {"metadata":{"name":"big"},"spec":{"containers":[{"name":"a","resources":{"requests":{"cpu":"%s","memory":"%s"}}}]}}"""
                .formatted(cpu, memory));
    }

    @ParameterizedTest(name = "{0} {1} on {2}")
    @CsvSource(delimiter = '|', value = {
            // cpu | memory | nodes: cpu/memory/max pods, used cpu/memory/pods                   | chosen | reason
            "500m  | 128Mi  | a:1:1Gi:110:500m:0:1                                                 | a      | ''",
            // exactly full still fits: the sum may equal allocatable
            "501m  | 128Mi  | a:1:1Gi:110:500m:0:1                                                 | ''     | 0/1 nodes are available: 1 Insufficient cpu.",
            "2     | 128Mi  | a:1:1Gi:110:0:0:0                                                    | ''     | 0/1 nodes are available: 1 Insufficient cpu.",
            "100m  | 2Gi    | a:1:1Gi:110:0:0:0                                                    | ''     | 0/1 nodes are available: 1 Insufficient memory.",
            // one node short of both counts once for each; reasons are sorted as text, as the kube-scheduler sorts them
            "2     | 2Gi    | a:1:1Gi:110:0:0:0 b:4:1Gi:110:0:0:0                                  | ''     | 0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.",
            "100m  | 128Mi  | a:1:1Gi:2:0:0:2                                                      | ''     | 0/1 nodes are available: 1 Too many pods.",
            // the one with room wins, however the others score
            "1     | 128Mi  | a:1:1Gi:110:100m:0:1 b:2:1Gi:110:1:0:7                               | b      | ''",
    })
    void aNodeFitsOnlyWhenItsAllocatableHoldsThePodsRequests(String cpu, String memory, String nodeSpec, String chosen,
                                                             String reason) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (String n : nodeSpec.trim().split(" ")) {
            String[] f = n.split(":");
            nodes.add(node(f[0], f[1], f[2], Long.parseLong(f[3]), f[4], f[5], Integer.parseInt(f[6])));
        }
        Scheduler.Decision d = Scheduler.choose(podRequesting(cpu, memory), nodes);
        assertEquals(chosen, d.node().orElse(""));
        assertEquals(reason, d.reason());
    }

    @org.junit.jupiter.api.Test
    void resourceReasonsJoinTheOthersInOneMessage() {
        List<NodeInfo> nodes = new ArrayList<>(nodes("a:false:false:0:0 b:true:true:0:0"));
        nodes.add(node("c", "1", "1Gi", 110, "0", "0", 0));
        assertEquals("0/3 nodes are available: 1 Insufficient cpu, 1 node(s) were not ready, 1 node(s) were unschedulable.",
                Scheduler.choose(podRequesting("2", "1Mi"), nodes).reason());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // containers add up
            "'{\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"100m\"}}},{\"resources\":{\"requests\":{\"cpu\":\"200m\"}}}]}' | 300",
            // one init container larger than the containers' sum: it decides
            "'{\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}],\"initContainers\":[{\"resources\":{\"requests\":{\"cpu\":\"500m\"}}},{\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}]}' | 500",
            // a smaller init container changes nothing
            "'{\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"1\"}}}],\"initContainers\":[{\"resources\":{\"requests\":{\"cpu\":\"500m\"}}}]}' | 1000",
            // a sidecar runs beside the containers (and beside later init containers)
            "'{\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}],\"initContainers\":[{\"restartPolicy\":\"Always\",\"resources\":{\"requests\":{\"cpu\":\"200m\"}}},{\"resources\":{\"requests\":{\"cpu\":\"400m\"}}}]}' | 600",
            // no requests: nothing reserved
            "'{\"containers\":[{\"name\":\"a\"}]}' | 0",
    })
    void podRequestsAreComputedAsKubernetesDoes(String spec, long cpuMillis) {
        ObjectNode pod = Json.object();
        pod.set("spec", Json.parse(spec));
        assertEquals(cpuMillis, Resources.podRequests(pod).cpuMillis());
    }
}

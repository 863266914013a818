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
    static List<Scheduler.NodeInfo> nodes(String spec) {
        List<Scheduler.NodeInfo> out = new ArrayList<>();
        if (spec.isBlank()) return out;
        for (String n : spec.trim().split(" ")) {
            String[] f = n.split(":");
            Map<String, Integer> owners = new HashMap<>();
            owners.put("rs1", Integer.parseInt(f[4]));
            out.add(new Scheduler.NodeInfo(f[0], Boolean.parseBoolean(f[1]), Boolean.parseBoolean(f[2]),
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
        assertEquals("0/2 nodes are available: 1 node(s) were not ready, 1 node(s) had volume node affinity conflict.",
                d.reason());
    }
}

package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mo.cli.output.Samples.CLOCK;
import static dev.mo.cli.output.Samples.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NodeAllocationTest {
    static final ObjectNode NODE = json("{'kind':'Node','metadata':{'name':'h2'},"
            + "'status':{'allocatable':{'cpu':'2','memory':'4Gi','pods':'110'}}}");

    static ObjectNode pod(String name, String node, String phase, String resources) {
        return json(("{'kind':'Pod','metadata':{'name':'%s','namespace':'shop','creationTimestamp':'2024-01-01T11:55:00Z'},"
                + "'spec':{'nodeName':'%s','containers':[{'name':'c','image':'x'%s}]},'status':{'phase':'%s'}}")
                .formatted(name, node, resources, phase));
    }

    @Test
    void podsOnTheNodeWithTheirShareOfItAndTheTotalsAsKubectlDescribesThem() {
        List<ObjectNode> pods = List.of(
                pod("web-1", "h2", "Running", ",'resources':{'requests':{'cpu':'250m','memory':'64Mi'},'limits':{'cpu':'1','memory':'128Mi'}}"),
                pod("db-0", "h2", "Running", ",'resources':{'requests':{'cpu':'500m','memory':'1Gi'}}"),
                pod("done", "h2", "Succeeded", ""),
                pod("elsewhere", "h3", "Running", ",'resources':{'requests':{'cpu':'1'}}"));
        DescribeWriter w = new DescribeWriter();
        NodeAllocation.write(w, NODE, pods, CLOCK);
        assertEquals("""
                Non-terminated Pods:  (2 in total)
                  Namespace           Name   CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
                  ---------           ----   ------------  ----------  ---------------  -------------  ---
                  shop                web-1  250m (12%)    1 (50%)     64Mi (1%)        128Mi (3%)     5m
                  shop                db-0   500m (25%)    0 (0%)      1Gi (25%)        0 (0%)         5m
                Allocated resources:
                  (Total limits may be over 100 percent, i.e., overcommitted.)
                  Resource  Requests      Limits
                  --------  --------      ------
                  cpu       750m (37%)    1 (50%)
                  memory    1088Mi (26%)  128Mi (3%)
                """, w.result());
    }
}

package dev.mo.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.model.Taints;
import dev.mo.model.Taints.Taint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Topology spread over nodes written as {@code name:zone:pods}: the node's {@code zone} label
 * ({@code -}: none) and its pods, one letter each: {@code w} app=web version v1, {@code n} app=web
 * version v2, {@code d} app=db, {@code o} app=web in another namespace, {@code t} app=web
 * terminating. A fourth part marks the node {@code tainted} (dedicated=db:NoSchedule) or
 * {@code cordoned}. The pod placed is app=web version v2 in namespace default; its one
 * constraint is on {@code zone}, picks app=web, with the fields of the table's first column.
 */
class TopologySpreadRuleTest {
    static List<NodeInfo> nodes(String spec) {
        List<NodeInfo> out = new ArrayList<>();
        for (String n : spec.trim().split("\\s+")) {
            String[] f = n.split(":", -1);
            List<ObjectNode> pods = new ArrayList<>();
            for (char code : f[2].toCharArray()) pods.add(existing(f[0] + "-" + pods.size(), code));
            String mark = f.length > 3 ? f[3] : "";
            NodeInfo node = new NodeInfo(f[0], true, mark.equals("cordoned"), pods.size(), Map.of())
                    .withLabels(f[1].equals("-") ? Map.of() : Map.of("zone", f[1])).withPods(pods);
            if (mark.equals("tainted")) node = node.withTaints(List.of(new Taint("dedicated", "db", Taints.NO_SCHEDULE, null)));
            out.add(node);
        }
        return out;
    }

    static ObjectNode existing(String name, char code) {
        String app = code == 'd' ? "db" : "web", version = code == 'n' ? "v2" : "v1";
        String namespace = code == 'o' ? "other" : "default";
        String deleting = code == 't' ? ",'deletionTimestamp':'2024-01-01T00:00:00Z'" : "";
        return Json.parse(("{'metadata':{'name':'%s','namespace':'%s','labels':{'app':'%s','version':'%s'}%s}}")
                .formatted(name, namespace, app, version, deleting).replace('\'', '"'));
    }

    /** The pod to place, with one constraint (defaults below, overridden by {@code fields}) and more of its spec. */
    static ObjectNode pod(String whenUnsatisfiable, String fields, String spec) {
        ObjectNode constraint = Json.parse(("{'maxSkew':1,'topologyKey':'zone','whenUnsatisfiable':'" + whenUnsatisfiable + "',"
                + "'labelSelector':{'matchLabels':{'app':'web'}}}").replace('\'', '"'));
        if (fields != null) constraint.setAll(Json.parse(fields.replace('\'', '"')));
        ObjectNode pod = Json.parse("{'metadata':{'name':'new','namespace':'default','labels':{'app':'web','version':'v2'}},'spec':{}}"
                .replace('\'', '"'));
        ObjectNode podSpec = (ObjectNode) pod.get("spec");
        if (spec != null) podSpec.setAll(Json.parse(spec.replace('\'', '"')));
        podSpec.set("topologySpreadConstraints", Json.array().add(constraint));
        return pod;
    }

    /** Each node's verdict: {@code -} fits, {@code skew} over maxSkew, {@code label} lacks the key. */
    static String misfits(ObjectNode pod, List<NodeInfo> nodes) {
        TopologySpreadRule rule = TopologySpreadRule.of(pod, nodes);
        List<String> out = new ArrayList<>();
        for (NodeInfo n : nodes) {
            String m = rule.misfit(n);
            out.add(n.name() + "=" + (m == null ? "-" : m.equals(TopologySpreadRule.MISFIT) ? "skew" : "label"));
        }
        return String.join(" ", out);
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // constraint fields       | nodes                          | verdicts
            // zones A:2 B:1 C:0, maxSkew 1: A 2+1-0 = 3, B 1+1-0 = 2, C 0+1-0 = 1 -> only C
            "{}                        | a:A:ww b:B:w c:C:              | a=skew b=skew c=-",
            // maxSkew 2: B's 2 is allowed, A's 3 is not
            "{'maxSkew':2}             | a:A:ww b:B:w c:C:              | a=skew b=- c=-",
            // a zone is all its nodes: A (a, b) 2, B 1; A 2+1-1 = 2, B 1+1-1 = 1
            "{}                        | a:A:w b:A:w c:B:w              | a=skew b=skew c=-",
            // level: 1+1-1 = 1 everywhere
            "{}                        | a:A:w b:B:w c:C:w              | a=- b=- c=-",
            // the pod (app=web) is not one the selector picks: no +1; A 2-0 = 2, B 1-0 = 1, C 0
            "{'labelSelector':{'matchLabels':{'app':'db'}}} | a:A:dd b:B:d c:C: | a=skew b=- c=-",
            // pods of another namespace and terminating pods do not count: A 0, B 1, C 1
            "{}                        | a:A:ot b:B:w c:C:w             | a=- b=skew c=skew",
            // a node without the key is no candidate and no domain: its pods do not make a zone of 0 or 2
            "{}                        | a:A:w b:B: d:-:ww              | a=skew b=- d=label",
            // per host: a 1+1-0 = 2, b 0+1-0 = 1, c 2
            "{'topologyKey':'kubernetes.io/hostname'} | a:A:w b:A: c:B:w | a=skew b=- c=skew",
            // matchLabelKeys [version]: only version v2 pods count, A 0 and B 1 (without it, A 2 and B 1)
            "{'matchLabelKeys':['version']} | a:A:ww b:B:n              | a=- b=skew",
            "{}                        | a:A:ww b:B:n                   | a=skew b=-",
            // an empty selector counts no pod, as in Kubernetes: the constraint never filters
            "{'labelSelector':{}}      | a:A:www b:B:                   | a=- b=-",
            // no selector at all: the same
            "{'labelSelector':null}    | a:A:www b:B:                   | a=- b=-",
    })
    void doNotScheduleKeepsTheSkewWithinMaxSkew(String fields, String nodes, String expected) {
        assertEquals(expected, misfits(pod("DoNotSchedule", fields, null), nodes(nodes)));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // constraint fields            | nodes                    | verdicts
            // 2 zones, fewer than minDomains 3: the minimum is taken as 0, so 1+1-0 = 2 > 1 everywhere
            "{'minDomains':3}               | a:A:w b:B:w              | a=skew b=skew",
            // a third zone, even empty, makes 3 domains: the real minimum (0) holds and C takes the pod
            "{'minDomains':3}               | a:A:w b:B:w c:C:         | a=skew b=skew c=-",
            "{'minDomains':3}               | a:A:w b:B:w c:C:w        | a=- b=- c=-",
            // minDomains 2 with 2 zones: minimum 1, 1+1-1 = 1
            "{'minDomains':2}               | a:A:w b:B:w              | a=- b=-",
            // a node without the key does not make a domain
            "{'minDomains':3}               | a:A:w b:B:w d:-:         | a=skew b=skew d=label",
    })
    void fewerDomainsThanMinDomainsTakeTheMinimumAsZero(String fields, String nodes, String expected) {
        assertEquals(expected, misfits(pod("DoNotSchedule", fields, null), nodes(nodes)));
    }

    @ParameterizedTest(name = "{0}, pod {1}, over {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // constraint fields                | pod spec                                  | nodes                  | verdicts
            // nodeAffinityPolicy Honor (the default): only zone A matches the pod's nodeSelector, so B is no domain; A 1+1-1 = 1
            "{}                                 | {'nodeSelector':{'zone':'A'}}             | a:A:w b:B:             | a=- b=-",
            // Ignore: B (0) counts, A 1+1-0 = 2
            "{'nodeAffinityPolicy':'Ignore'}    | {'nodeSelector':{'zone':'A'}}             | a:A:w b:B:             | a=skew b=-",
            // nodeTaintsPolicy Ignore (the default): the tainted zone B (0) keeps the minimum at 0
            "{}                                 |                                           | a:A:w b:B::tainted     | a=skew b=-",
            // Honor: B is no domain, A 1+1-1 = 1
            "{'nodeTaintsPolicy':'Honor'}       |                                           | a:A:w b:B::tainted     | a=- b=-",
            // Honor, and the pod tolerates the taint: B counts again
            "{'nodeTaintsPolicy':'Honor'}       | {'tolerations':[{'key':'dedicated','operator':'Exists'}]} | a:A:w b:B::tainted | a=skew b=-",
            // a cordon is a NoSchedule taint
            "{'nodeTaintsPolicy':'Honor'}       |                                           | a:A:w b:B::cordoned    | a=- b=-",
            "{}                                 |                                           | a:A:w b:B::cordoned    | a=skew b=-",
    })
    void nodeInclusionPoliciesSayWhichNodesMakeDomains(String fields, String spec, String nodes, String expected) {
        assertEquals(expected, misfits(pod("DoNotSchedule", fields, spec), nodes(nodes)));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // constraint fields        | nodes                  | scores (0-100, higher is better)
            // zones A:2 B:1 C:0, 3 domains: ln 5 = 1.61; raw A round(3.22) = 3, B round(1.61) = 2, C 0;
            // 100 * (3 + 0 - raw) / 3
            "{}                         | a:A:ww b:B:w c:C:      | a=0 b=33 c=100",
            // A (a, b) 2 and B 1: ln 4 = 1.39; raw A 3, B 1; 100 * (3 + 1 - raw) / 3
            "{}                         | a:A:w b:A:w c:B:w      | a=33 b=33 c=100",
            // maxSkew 3 adds 2 to every raw, watering the difference down: 5, 4, 2 -> 100 * (7 - raw) / 5
            "{'maxSkew':3}              | a:A:ww b:B:w c:C:      | a=40 b=60 c=100",
            // all level at 0: 100 each
            "{}                         | a:A: b:B:              | a=100 b=100",
            // a node without the key scores 0; 2 domains: ln 4 = 1.39, raw A 1, B 0
            "{}                         | a:A:w b:B: d:-:        | a=0 b=100 d=0",
            // terminating pods and another namespace's do not count
            "{}                         | a:A:tto b:B:w          | a=100 b=0",
    })
    void scheduleAnywayScoresFewerPodsInTheDomainHigher(String fields, String nodes, String expected) {
        List<NodeInfo> all = nodes(nodes);
        TopologySpreadRule rule = TopologySpreadRule.of(pod("ScheduleAnyway", fields, null), all);
        Map<String, Long> scores = rule.scores(all);
        List<String> out = new ArrayList<>();
        for (NodeInfo n : all) out.add(n.name() + "=" + scores.get(n.name()));
        assertEquals(expected, String.join(" ", out));
        // a soft constraint never filters
        assertEquals(all.stream().map(n -> n.name() + "=-").reduce((x, y) -> x + " " + y).orElseThrow(),
                misfits(pod("ScheduleAnyway", fields, null), all));
    }
}

package dev.mo.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pod affinity and anti-affinity on {@code kubernetes.io/hostname} over three nodes a, b and c,
 * whose pods are given as {@code node:app} (namespace default, label app) or
 * {@code node:app@namespace}, or {@code node:app!} for a pod that itself will not share a node
 * with another app=web pod.
 */
class PodAffinityRuleTest {
    static final String HOST = "'topologyKey':'kubernetes.io/hostname'";

    static ObjectNode pod(String name, String namespace, String app, String affinity) {
        return Json.parse(("{'metadata':{'name':'%s','namespace':'%s','labels':{'app':'%s'}},'spec':{'affinity':%s}}")
                .formatted(name, namespace, app, affinity == null ? "{}" : affinity).replace('\'', '"'));
    }

    static List<NodeInfo> nodes(String pods) {
        List<NodeInfo> out = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            List<ObjectNode> here = new ArrayList<>();
            if (pods != null) {
                for (String p : pods.trim().split(" ")) {
                    if (!p.startsWith(name + ":")) continue;
                    String app = p.substring(2).replace("!", "");
                    String namespace = app.contains("@") ? app.split("@")[1] : "default";
                    String anti = p.endsWith("!") ? "{'podAntiAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':"
                            + "[{'labelSelector':{'matchLabels':{'app':'web'}}," + HOST + "}]}}" : null;
                    here.add(pod("p" + here.size(), namespace, app.split("@")[0], anti));
                }
            }
            out.add(new NodeInfo(name, true, false, here.size(), Map.of()).withPods(here));
        }
        return out;
    }

    /** Each node's misfit, as {@code a=reason b=- c=-} with the reason's last word ("-": fits). */
    static String misfits(ObjectNode pod, List<NodeInfo> nodes) {
        PodAffinityRule rule = PodAffinityRule.of(pod, nodes);
        List<String> out = new ArrayList<>();
        for (NodeInfo n : nodes) {
            String m = rule.misfit(n);
            out.add(n.name() + "=" + (m == null ? "-" : m.equals(PodAffinityRule.AFFINITY_MISFIT) ? "affinity"
                    : m.equals(PodAffinityRule.ANTI_AFFINITY_MISFIT) ? "anti" : "existing"));
        }
        return String.join(" ", out);
    }

    static String term(String app, String extra) {
        return "{'labelSelector':{'matchLabels':{'app':'" + app + "'}}," + HOST + (extra == null ? "" : "," + extra) + "}";
    }

    @ParameterizedTest(name = "{0} with pods {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // the pod (app=web)'s affinity                                                                  | pods there            | per node
            "{'podAntiAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[TERM_WEB]}}                 | a:web b:db            | a=anti b=- c=-",
            "{'podAntiAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[TERM_WEB]}}                 | a:web b:web c:web     | a=anti b=anti c=anti",
            // by default only pods of the pod's own namespace count
            "{'podAntiAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[TERM_WEB]}}                 | a:web@other           | a=- b=- c=-",
            "{'podAntiAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[TERM_WEB_OTHER]}}           | a:web@other b:web     | a=anti b=- c=-",
            // an empty namespaceSelector: every namespace
            "{'podAntiAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[TERM_WEB_ALL]}}             | a:web@other b:web     | a=anti b=anti c=-",
            // required affinity: only next to a matching pod
            "{'podAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[TERM_DB]}}                      | b:db                  | a=affinity b=- c=affinity",
            // no db pod anywhere: the pod may not go anywhere, as it does not match its own term
            "{'podAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[TERM_DB]}}                      | a:web                 | a=affinity b=affinity c=affinity",
            // no web pod anywhere, and the pod is one: the first of a group may go anywhere
            "{'podAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[TERM_WEB]}}                     | a:db                  | a=- b=- c=-",
            "{'podAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':[TERM_WEB]}}                     | c:web                 | a=affinity b=affinity c=-",
            // the rule works both ways: a pod there that will not share with app=web keeps this one off
            "{}                                                                                               | a:db!                 | a=existing b=- c=-",
    })
    void requiredRulesDecideWhereThePodMayGo(String affinity, String pods, String expected) {
        String resolved = affinity.replace("TERM_WEB_OTHER", term("web", "'namespaces':['other']"))
                .replace("TERM_WEB_ALL", term("web", "'namespaceSelector':{}"))
                .replace("TERM_WEB", term("web", null)).replace("TERM_DB", term("db", null));
        assertEquals(expected, misfits(pod("new", "default", "web", resolved), nodes(pods)));
    }

    @ParameterizedTest(name = "{0} with pods {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // the pod's preferred terms                                                      | pods there      | raw score per node
            "{'podAffinity':{'preferredDuringSchedulingIgnoredDuringExecution':[W10_DB]}}      | b:db b:db       | a=0 b=20 c=0",
            "{'podAntiAffinity':{'preferredDuringSchedulingIgnoredDuringExecution':[W10_WEB]}}  | a:web c:db      | a=-10 b=0 c=0",
    })
    void preferredTermsCountTheirWeightPerMatchingPod(String affinity, String pods, String expected) {
        String resolved = affinity.replace("W10_DB", "{'weight':10,'podAffinityTerm':" + term("db", null) + "}")
                .replace("W10_WEB", "{'weight':10,'podAffinityTerm':" + term("web", null) + "}");
        List<NodeInfo> nodes = nodes(pods);
        PodAffinityRule rule = PodAffinityRule.of(pod("new", "default", "web", resolved), nodes);
        List<String> out = new ArrayList<>();
        for (NodeInfo n : nodes) out.add(n.name() + "=" + rule.score(n));
        assertEquals(expected, String.join(" ", out));
    }
}

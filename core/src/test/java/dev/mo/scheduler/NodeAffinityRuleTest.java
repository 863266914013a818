package dev.mo.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** nodeSelector and node affinity against one node: a pure function of the pod's spec and the node's name and labels. */
class NodeAffinityRuleTest {
    /** Node "n1" with labels given as {@code k=v,k=v} (a blank cell: only its hostname label). */
    static NodeInfo node(String labels) {
        Map<String, String> map = new HashMap<>();
        if (labels == null) labels = "";
        for (String kv : labels.split(",")) if (!kv.isBlank()) map.put(kv.split("=")[0], kv.split("=")[1]);
        return new NodeInfo("n1", true, false, 0, Map.of()).withLabels(map);
    }

    static ObjectNode pod(String spec) { return Json.parse("{\"spec\":" + spec.replace('\'', '"') + "}"); }

    static String required(String terms) {
        return "{'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':" + terms + "}}}}";
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // pod spec                                                                         | node labels       | fits
            "{}                                                                                 |                   | true",
            "{'nodeSelector':{'disk':'ssd'}}                                                    | disk=ssd,zone=a   | true",
            "{'nodeSelector':{'disk':'ssd'}}                                                    | disk=hdd          | false",
            // every key=value must be there
            "{'nodeSelector':{'disk':'ssd','zone':'b'}}                                         | disk=ssd,zone=a   | false",
            "{'nodeSelector':{'kubernetes.io/hostname':'n1'}}                                   |                   | true",
            // the selector and the affinity must both match
            "{'nodeSelector':{'disk':'ssd'},'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[{'matchExpressions':[{'key':'zone','operator':'In','values':['b']}]}]}}}} | disk=ssd,zone=a | false",
    })
    void nodeSelectorAndAffinityBothApply(String spec, String labels, boolean fits) {
        assertEquals(fits, NodeAffinityRule.fits(pod(spec), node(labels)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // nodeSelectorTerms                                                                            | node labels     | fits
            "[{'matchExpressions':[{'key':'zone','operator':'In','values':['a','b']}]}]                      | zone=a          | true",
            "[{'matchExpressions':[{'key':'zone','operator':'In','values':['a','b']}]}]                      | zone=c          | false",
            "[{'matchExpressions':[{'key':'zone','operator':'In','values':['a']}]}]                          |                 | false",
            // NotIn and DoesNotExist match a node without the label
            "[{'matchExpressions':[{'key':'zone','operator':'NotIn','values':['a']}]}]                       |                 | true",
            "[{'matchExpressions':[{'key':'zone','operator':'NotIn','values':['a']}]}]                       | zone=a          | false",
            "[{'matchExpressions':[{'key':'gpu','operator':'Exists'}]}]                                      | gpu=1           | true",
            "[{'matchExpressions':[{'key':'gpu','operator':'Exists'}]}]                                      |                 | false",
            "[{'matchExpressions':[{'key':'gpu','operator':'DoesNotExist'}]}]                                |                 | true",
            "[{'matchExpressions':[{'key':'gpu','operator':'DoesNotExist'}]}]                                | gpu=1           | false",
            // Gt and Lt compare integers; a value that is not one matches neither
            "[{'matchExpressions':[{'key':'cores','operator':'Gt','values':['4']}]}]                         | cores=8         | true",
            "[{'matchExpressions':[{'key':'cores','operator':'Gt','values':['4']}]}]                         | cores=4         | false",
            "[{'matchExpressions':[{'key':'cores','operator':'Lt','values':['4']}]}]                         | cores=10        | false",
            "[{'matchExpressions':[{'key':'cores','operator':'Lt','values':['4']}]}]                         | cores=3         | true",
            "[{'matchExpressions':[{'key':'cores','operator':'Gt','values':['4']}]}]                         | cores=many      | false",
            "[{'matchExpressions':[{'key':'cores','operator':'Lt','values':['4']}]}]                         |                 | false",
            // within a term: ANDed
            "[{'matchExpressions':[{'key':'zone','operator':'In','values':['a']},{'key':'gpu','operator':'Exists'}]}] | zone=a    | false",
            // terms: ORed
            "[{'matchExpressions':[{'key':'zone','operator':'In','values':['b']}]},{'matchExpressions':[{'key':'zone','operator':'In','values':['a']}]}] | zone=a | true",
            // matchFields: the node's name
            "[{'matchFields':[{'key':'metadata.name','operator':'In','values':['n1']}]}]                     |                 | true",
            "[{'matchFields':[{'key':'metadata.name','operator':'NotIn','values':['n1']}]}]                  |                 | false",
            // an empty term matches no node, and so does an empty list of terms
            "[{}]                                                                                            | zone=a          | false",
            "[]                                                                                              | zone=a          | false",
    })
    void requiredTermsMatchAsKubernetesMatchesThem(String terms, String labels, boolean fits) {
        assertEquals(fits, NodeAffinityRule.fits(pod(required(terms)), node(labels)));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // preferred terms                                                                                          | node labels | score
            "[{'weight':10,'preference':{'matchExpressions':[{'key':'disk','operator':'In','values':['ssd']}]}}]          | disk=ssd    | 10",
            "[{'weight':10,'preference':{'matchExpressions':[{'key':'disk','operator':'In','values':['ssd']}]}}]          | disk=hdd    | 0",
            // the weights of the terms matched add up
            "[{'weight':10,'preference':{'matchExpressions':[{'key':'disk','operator':'Exists'}]}},{'weight':50,'preference':{'matchExpressions':[{'key':'zone','operator':'In','values':['a']}]}}] | disk=ssd,zone=a | 60",
            // an empty preference is no preference
            "[{'weight':10,'preference':{}}]                                                                              | disk=ssd    | 0",
    })
    void preferredTermsScoreTheirWeights(String terms, String labels, long score) {
        ObjectNode pod = pod("{'affinity':{'nodeAffinity':{'preferredDuringSchedulingIgnoredDuringExecution':" + terms + "}}}");
        assertEquals(score, NodeAffinityRule.score(pod, node(labels)));
    }
}

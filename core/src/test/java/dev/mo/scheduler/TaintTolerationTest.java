package dev.mo.scheduler;

import dev.mo.model.Json;
import dev.mo.model.Taints;
import dev.mo.model.Taints.Taint;
import dev.mo.model.Taints.Toleration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Taints against tolerations: Kubernetes' ToleratesTaint, the filter and the PreferNoSchedule score. */
class TaintTolerationTest {
    /** Taints as {@code key=value:Effect} separated by spaces ({@code key:Effect} for no value; a blank cell: none). */
    static List<Taint> taints(String spec) {
        List<Taint> out = new ArrayList<>();
        if (spec == null) return out;
        for (String t : spec.trim().split(" ")) {
            if (t.isBlank()) continue;
            String[] keyValue = t.split(":")[0].split("=", 2);
            out.add(new Taint(keyValue[0], keyValue.length > 1 ? keyValue[1] : "", t.split(":")[1], null));
        }
        return out;
    }

    static List<Toleration> tolerations(String json) {
        return Taints.tolerations(Json.parse("{\"spec\":{\"tolerations\":" + json.replace('\'', '"') + "}}"));
    }

    @ParameterizedTest(name = "{0} tolerates {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // toleration                                                          | taint                 | tolerates
            "{'key':'dedicated','operator':'Equal','value':'web','effect':'NoSchedule'} | dedicated=web:NoSchedule | true",
            // Equal is the default operator, and needs the same value
            "{'key':'dedicated','value':'web','effect':'NoSchedule'}               | dedicated=web:NoSchedule | true",
            "{'key':'dedicated','value':'db','effect':'NoSchedule'}                | dedicated=web:NoSchedule | false",
            // Exists ignores the value
            "{'key':'dedicated','operator':'Exists','effect':'NoSchedule'}         | dedicated=web:NoSchedule | true",
            // an empty effect matches every effect; another effect does not match
            "{'key':'dedicated','operator':'Exists'}                               | dedicated=web:NoExecute  | true",
            "{'key':'dedicated','operator':'Exists','effect':'NoExecute'}          | dedicated=web:NoSchedule | false",
            // an empty key with Exists matches every taint
            "{'operator':'Exists'}                                                 | anything=x:NoSchedule    | true",
            "{'key':'other','operator':'Exists'}                                   | dedicated=web:NoSchedule | false",
            // a taint without a value, tolerated by Equal with none
            "{'key':'node.kubernetes.io/unschedulable','effect':'NoSchedule'}      | node.kubernetes.io/unschedulable:NoSchedule | true",
    })
    void tolerationMatchesTaintAsKubernetesDoes(String toleration, String taint, boolean tolerates) {
        assertEquals(tolerates, tolerations("[" + toleration + "]").get(0).tolerates(taints(taint).get(0)));
    }

    @ParameterizedTest(name = "{1} with {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // tolerations                                                      | node taints                               | untolerated
            "[]                                                                  |                                           |   ",
            "[]                                                                  | dedicated=gpu:NoSchedule                  | {dedicated: gpu}",
            // NoExecute keeps pods off too; PreferNoSchedule does not
            "[]                                                                  | maintenance:NoExecute                     | {maintenance: }",
            "[]                                                                  | spot=yes:PreferNoSchedule                 |   ",
            // every hard taint must be tolerated; the first that is not is reported
            "[{'key':'dedicated','operator':'Exists'}]                           | dedicated=gpu:NoSchedule other=x:NoSchedule | {other: x}",
            "[{'operator':'Exists'}]                                             | dedicated=gpu:NoSchedule other=x:NoExecute |   ",
    })
    void aNodeKeepsOffPodsThatDoNotTolerateItsHardTaints(String tolerations, String taints, String untolerated) {
        assertEquals(untolerated, TaintToleration.untolerated(tolerations(tolerations), taints(taints))
                .map(Taint::toString).orElse(null));
    }

    @ParameterizedTest(name = "{1} with {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // tolerations                                                             | node taints                                  | untolerated PreferNoSchedule
            "[]                                                                         | a=1:PreferNoSchedule b=2:PreferNoSchedule c:NoSchedule | 2",
            "[{'key':'a','operator':'Exists','effect':'PreferNoSchedule'}]              | a=1:PreferNoSchedule b=2:PreferNoSchedule    | 1",
            // a toleration for another effect does not count
            "[{'key':'a','operator':'Exists','effect':'NoSchedule'}]                    | a=1:PreferNoSchedule                         | 1",
            "[{'operator':'Exists'}]                                                    | a=1:PreferNoSchedule                         | 0",
    })
    void preferNoScheduleTaintsCountAgainstANode(String tolerations, String taints, long count) {
        assertEquals(count, TaintToleration.score(tolerations(tolerations), taints(taints)));
    }
}

package dev.mo.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LabelSelectorTest {
    static Map<String, String> labels(String s) {
        Map<String, String> m = new HashMap<>();
        if (!s.isBlank()) for (String kv : s.split(";")) m.put(kv.split("=")[0], kv.split("=")[1]);
        return m;
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "app=web                 | app=web;tier=fe | true",
            "app=web                 | app=db          | false",
            "app==web                | app=web         | true",
            "app!=web                | app=db          | true",
            "app!=web                | tier=fe         | true",
            "app=web,tier=fe         | app=web         | false",
            "env in (a, b)           | env=b           | true",
            "env notin (a,b)         | env=c           | true",
            "env notin (a,b)         | env=a           | false",
            "app                     | app=x           | true",
            "!app                    | app=x           | false",
            "!app                    | tier=x          | true",
            "''                      | tier=x          | true",
    })
    void cliSyntaxMatchesAsKubectl(String selector, String podLabels, boolean expected) {
        assertEquals(expected, LabelSelector.parse(selector).matches(labels(podLabels)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"matchLabels\":{\"app\":\"web\"}}                                                     | app=web | true",
            "{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\",\"values\":[\"a\",\"web\"]}]}   | app=web | true",
            "{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"DoesNotExist\"}]}                   | app=web | false",
    })
    void jsonFormMatches(String json, String podLabels, boolean expected) {
        assertEquals(expected, LabelSelector.fromJson(Json.parse(json)).matches(labels(podLabels)));
    }
}

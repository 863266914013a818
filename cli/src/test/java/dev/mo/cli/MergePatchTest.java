package dev.mo.cli;

import dev.mo.model.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 7386's own examples (appendix A), where the patch is an object, as mo patch's always is. */
class MergePatchTest {
    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\":\"b\"}               | {\"a\":\"c\"}               | {\"a\":\"c\"}",
            "{\"a\":\"b\"}               | {\"b\":\"c\"}               | {\"a\":\"b\",\"b\":\"c\"}",
            "{\"a\":\"b\"}               | {\"a\":null}                | {}",
            "{\"a\":\"b\",\"b\":\"c\"}   | {\"a\":null}                | {\"b\":\"c\"}",
            "{\"a\":[\"b\"]}             | {\"a\":\"c\"}               | {\"a\":\"c\"}",
            "{\"a\":\"c\"}               | {\"a\":[\"b\"]}             | {\"a\":[\"b\"]}",
            "{\"a\":{\"b\":\"c\"}}       | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
            "{\"a\":[{\"b\":\"c\"}]}     | {\"a\":[1]}                 | {\"a\":[1]}",
            "{\"e\":null}                | {\"a\":1}                   | {\"e\":null,\"a\":1}",
            "{}                          | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}",
    })
    void mergesAsTheRfcSays(String target, String patch, String result) {
        assertEquals(Json.parse(result), MergePatch.apply(Json.parse(target), Json.parse(patch)));
    }
}

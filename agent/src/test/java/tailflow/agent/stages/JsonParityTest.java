package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The json stage's values and the JSON text of objects it stores, as Promtail's json.go
 * processEntry makes them with json-iterator (float64 numbers: 'f' formatting, 'e' below 1e-6 and
 * from 1e21, "e-07" written "e-7"), and getString (util.go) of scalars.
 */
class JsonParityTest {
    private final Run run = new Run();

    private Object extract(String line, String expression) {
        Step s = run.step(JsonStage.Spec.of(Map.of("v", expression), Optional.empty(), true));
        Item i = run.one(s, Run.item(line));
        return i == null ? "<dropped>" : i.extracted().getOrDefault("v", "<absent>");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"a\":{\"n\":1e-7}}|a|{\"n\":1e-7}",
        "{\"a\":{\"n\":1.5e-10}}|a|{\"n\":1.5e-10}",
        "{\"a\":{\"n\":1e21}}|a|{\"n\":1e+21}",
        "{\"a\":{\"n\":1.25e300}}|a|{\"n\":1.25e+300}",
        "{\"a\":{\"n\":123456789012345678}}|a|{\"n\":123456789012345680}",
        "{\"a\":{\"n\":0.000001}}|a|{\"n\":0.000001}",
        "{\"a\":[1.0,-0.5,100]}|a|[1,-0.5,100]",
        "{\"a\":{\"s\":\"<b>&\\u2028\"}}|a|{\"s\":\"\\u003cb\\u003e\\u0026\\u2028\"}",
        "{\"a\":{\"s\":\"tab\\there\\u0001\"}}|a|{\"s\":\"tab\\there\\u0001\"}",
    })
    void objectsAreWrittenAsJsonIterator(String line, String expression, String expected) {
        assertThat(extract(line, expression)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"n\":1e21}|1000000000000000000000",
        "{\"n\":1e-7}|0.0000001",
        "{\"n\":-0.0}|-0",
        "{\"n\":12.50}|12.5",
        "{\"n\":true}|true",
    })
    void scalarsAsGetString(String line, String expected) {
        assertThat(Values.string(extract(line, "n"))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"[1,2]", "\"text\"", "{\"a\":1} trailing", "{\"a\":"})
    void malformedLinesAreDropped(String line) {
        assertThat(extract(line, "a")).isEqualTo("<dropped>");
    }

    @org.junit.jupiter.api.Test
    void theLineNullIsNotMalformedItDecodesToNothing() {
        // Go's Unmarshal of "null" into a map succeeds with a nil map: every expression is nil
        assertThat(extract("null", "a")).isNull();
    }
}

package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tailflow.agent.pipeline.Labels;

/**
 * How the template stage sees and prints values (Promtail template.go Process): extracted values
 * become strings first (getString: 'f' formatting, so a JSON 1234567 is "1234567"), while a float64
 * made inside the template (sprig's float64) prints with fmt's %v: strconv 'g' with the shortest
 * digits and an exponent from 1e6 and below 1e-4 (1.234567e+06).
 */
class TemplateParityTest {
    private final Run run = new Run();

    private Object render(String template, Object value) {
        return render(run, template, value);
    }

    /** The template's result for extracted {@code v = value}, stored under "out". */
    static Object render(Run run, String template, Object value) {
        Map<String, Object> extracted = new HashMap<>();
        extracted.put("v", value);
        Item i = Run.item("line", Labels.empty(), extracted);
        run.step(TemplateStage.Spec.of("out", template)).process(i, run);
        return i.extracted().get("out");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "125|125",
        "12.5|12.5",
        "100000|100000",
        "999999.5|999999.5",
        "1000000|1e+06",
        "1234567|1.234567e+06",
        "123456789012|1.23456789012e+11",
        "0.0001|0.0001",
        "0.00001234|1.234e-05",
        "-2500000|-2.5e+06",
        "1e21|1e+21",
        "1e100|1e+100",
    })
    void floatsMadeInTheTemplatePrintWithPercentV(String value, String expected) {
        assertThat(render("{{ float64 .v }}", value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"1234567|1234567", "1e21|1000000000000000000000", "0.00001234|0.00001234"})
    void extractedFloatsAreStringsFirst(double value, String expected) {
        assertThat(render("{{ .v }}", value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{{ .missing }}|<no value>",
        "{{ .v }}|true",
        "{{ printf \"%v-%s\" .v \"x\" }}|true-x",
    })
    void otherValues(String template, String expected) {
        assertThat(render(template, true)).isEqualTo(expected);
    }
}

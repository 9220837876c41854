package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * logfmt decoding as go-logfmt v0.6.1's Decoder (Promtail logfmt.go Process): pairs before a
 * syntax error are kept, a key without '=' has an empty value, quoted values unescape as JSON plus \'.
 */
class LogfmtParityTest {
    private static String decode(String line) {
        Map<String, String> pairs = new LinkedHashMap<>();
        boolean ok = LogfmtStage.decode(line, pairs::put);
        return pairs + (ok ? "" : " error");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a=1 b=2|{a=1, b=2}",
        "a b=|{a=, b=}",
        "a= b=x|{a=, b=x}",
        "a=\"x y\" b=\"\"|{a=x y, b=}",
        "a=\"q\\\"t\\\\ \\' \\u00e9\"|{a=q\"t\\ ' é}",
        "a=\"x\"b=1|{a=x, b=1}",
        "a=1 =2 c=3|{a=1} error",
        "a=1 b\"=2|{a=1} error",
        "a=1 b=x=y|{a=1} error",
        "a=1 b=\"open|{a=1} error",
        "a=1 b=\"bad\\q\"|{a=1} error",
    })
    void decodesAsGoLogfmt(String line, String expected) {
        assertThat(decode(line)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void recordsAreLinesAndControlCharactersSeparate() {
        assertThat(decode("a=1\nb=2")).isEqualTo("{a=1, b=2}");
        assertThat(decode("  a=1\t b=2\r\n")).isEqualTo("{a=1, b=2}");
    }
}

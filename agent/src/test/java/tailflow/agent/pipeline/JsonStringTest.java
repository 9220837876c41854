package tailflow.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonStringTest {

    private static String json(String s) {
        StringBuilder sb = new StringBuilder();
        JsonString.append(sb, s);
        return sb.toString();
    }

    @Test
    void escapesAsGoEncodingJson() {
        // the bytes Go's json.Marshal writes for these strings
        assertThat(json("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(json("l1\nl2\r\t")).isEqualTo("\"l1\\nl2\\r\\t\"");
        assertThat(json("<a href=\"x\">&</a>")).isEqualTo("\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\"");
        assertThat(json("\u0001\u001f\u2028\u2029")).isEqualTo("\"\\u0001\\u001f\\u2028\\u2029\"");
        assertThat(json("grüße ✓")).isEqualTo("\"grüße ✓\"");
    }

    @Test
    void aJsonReaderGetsTheStringBack() throws Exception {
        String s = "x\u0000y\"z\\<>&\u2028\n\té";
        assertThat(new ObjectMapper().readValue(json(s), String.class)).isEqualTo(s);
    }
}

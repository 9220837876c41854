package tailflow.agent.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-written JSON is byte for byte what Jackson's pretty printer wrote (the positions file's
 * layout, which scripts and tests grep: {@code "path" : "offset"}), and reads back as written.
 */
class PrettyJsonTest {

    private static Map<String, Object> positionsLike() {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("path", "/var/log/syslog");
        file.put("device", 65024L);
        file.put("inode", 1582777L);
        file.put("offset", 12345L);
        file.put("head", "a\"b\\c\td\u0001é<secret>");
        file.put("leases", List.of(List.of(1L, 2L, 3L), List.of(4L, 5L, 6L)));
        Map<String, Object> empty = new LinkedHashMap<>();
        empty.put("files", List.of());
        empty.put("timestamp_floors", Map.of());
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("files", List.of(file, Map.of("path", "/var/log/b", "leases", List.of())));
        section.put("timestamp_floors", Map.of("/var/log/syslog", 1700000000000000000L));
        section.put("journal", Map.of("cursor-journal", Map.of("cursor", "s=abc;i=1")));
        Map<String, Object> clients = new LinkedHashMap<>();
        clients.put("http://loki:3100/loki/api/v1/push", section);
        clients.put("http://other/push#tenant", empty);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tailflow_positions", 1);
        root.put("clients", clients);
        root.put("positions", Map.of("/var/log/syslog", "12345"));
        root.put("flags", List.of(true, false, 1.5));
        root.put("none", null);
        return root;
    }

    @Test
    void layoutIsJacksonsDefaultPrettyPrinter() throws Exception {
        ObjectMapper jackson = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> value = positionsLike();
        assertThat(PrettyJson.write(value)).isEqualTo(jackson.writeValueAsString(value) + "\n");
        assertThat(PrettyJson.write(List.of())).isEqualTo("[ ]\n");
        assertThat(PrettyJson.write(Map.of())).isEqualTo("{ }\n");
    }

    @Test
    void readsBackWhatItWroteAndPromtailsYaml() {
        Map<String, Object> value = positionsLike();
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) YamlValues.read(PrettyJson.write(value));
        assertThat(back.get("tailflow_positions")).isEqualTo("1");
        assertThat(back).containsKeys("clients", "positions", "flags");
        assertThat(back.get("none")).isNull();
        assertThat(back.get("flags")).isEqualTo(List.of("true", "false", "1.5"));
        @SuppressWarnings("unchecked")
        Map<String, Object> section = (Map<String, Object>) ((Map<String, Object>) back.get("clients"))
                .get("http://loki:3100/loki/api/v1/push");
        @SuppressWarnings("unchecked")
        Map<String, Object> file = (Map<String, Object>) ((List<Object>) section.get("files")).get(0);
        assertThat(file.get("head")).isEqualTo("a\"b\\c\td\u0001é<secret>");
        assertThat(file.get("leases")).isEqualTo(List.of(List.of("1", "2", "3"), List.of("4", "5", "6")));
        assertThat(YamlValues.read("positions:\n  /var/log/syslog: \"12345\"\n  cursor-journal: s=abc\n")).isEqualTo(
                Map.of("positions", Map.of("/var/log/syslog", "12345", "cursor-journal", "s=abc")));
        assertThat(YamlValues.read("")).isNull();
        assertThat(YamlValues.read("a: ''\nb:\nc: ~\n")).isEqualTo(new LinkedHashMap<>(Map.of("a", "")) {{
                put("b", null);
                put("c", null);
            }});
    }
}

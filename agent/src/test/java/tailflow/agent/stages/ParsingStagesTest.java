package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Labels;

/** regex, json, logfmt, replace, output: cases from Promtail's regex_test, json_test, logfmt_test, replace_test. */
class ParsingStagesTest {
    private final Run run = new Run();

    private static final String APACHE = "11.11.11.11 - frank [25/Jan/2000:14:00:01 -0500] \"GET /1986.js HTTP/1.1\" 200 932 "
            + "\"-\" \"Mozilla/5.0 (Windows; U; Windows NT 5.1; de; rv:1.9.1.7) Gecko/20091221 Firefox/3.5.7 GTB6\"";
    private static final String APACHE_RE = "^(?P<ip>\\S+) (?P<identd>\\S+) (?P<user>\\S+) \\[(?P<timestamp>[\\w:/]+\\s[+\\-]\\d{4})\\]"
            + " \"(?P<action>\\S+)\\s?(?P<path>\\S+)?\\s?(?P<protocol>\\S+)?\" (?P<status>\\d{3}|-) (?P<size>\\d+|-)\\s?\"?"
            + "(?P<referer>[^\"]*)\"?\\s?\"?(?P<useragent>[^\"]*)?\"?$";

    @Test
    void regexExtractsNamedGroups() {
        Item i = run.one(run.step(RegexStage.Spec.of(APACHE_RE, Optional.empty())), Run.item(APACHE));
        assertThat(i.extracted()).containsEntry("ip", "11.11.11.11").containsEntry("identd", "-")
                .containsEntry("user", "frank").containsEntry("timestamp", "25/Jan/2000:14:00:01 -0500")
                .containsEntry("action", "GET").containsEntry("path", "/1986.js").containsEntry("protocol", "HTTP/1.1")
                .containsEntry("status", "200").containsEntry("size", "932").containsEntry("referer", "-");
        assertThat(i.line()).isEqualTo(APACHE);
    }

    @Test
    void regexOnSourceAndUnmatchedGroupsAreEmpty() {
        Step s = run.chain(RegexStage.Spec.of("^(?P<year>\\d+)-(?P<month>\\d+)(?P<rest>x)?", Optional.of("time")));
        Item i = run.one(s, Run.item("line", Labels.empty(), Map.of("time", "2019-01")));
        assertThat(i.extracted()).containsEntry("year", "2019").containsEntry("month", "01").containsEntry("rest", "");
        Item missing = run.one(s, Run.item("2019-01"));
        assertThat(missing.extracted()).doesNotContainKey("year");
        Item nomatch = run.one(run.step(RegexStage.Spec.of("^(?P<x>z+)$", Optional.empty())), Run.item("abc"));
        assertThat(nomatch.extracted()).doesNotContainKey("x");
    }

    @Test
    void regexConfigErrors() {
        assertThatThrownBy(() -> RegexStage.Spec.of("(?P<ts[0-9]+", Optional.empty()))
                .hasMessageContaining("could not compile regular expression");
        assertThatThrownBy(() -> RegexStage.Spec.of("", Optional.empty())).hasMessageContaining("expression is required");
        assertThatThrownBy(() -> RegexStage.Spec.of("(?P<a>.)", Optional.of(""))).hasMessageContaining("empty source");
        // RE2 has no backreferences or lookaround: Promtail refuses them too
        assertThatThrownBy(() -> RegexStage.Spec.of("(a)\\1", Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RegexStage.Spec.of("a(?=b)", Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }

    private static final String JSON_LINE = "{\"time\":\"2012-11-01T22:08:41+00:00\",\"app\":\"loki\",\"component\":[\"parser\",\"type\"],"
            + "\"level\":\"WARN\",\"nested\":{\"child\":\"value\"},\"duration\":125,\"message\":\"this is a log line\","
            + "\"complex\":{\"log\":{\"array\":[{\"test1\":\"test1\"},{\"test2\":\"test2\"}],\"prop\":\"value\",\"prop.with.dots\":\"val\"}},"
            + "\"nil\":null,\"bool\":true}";

    @Test
    void jsonExpressionsAsPromtail() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("out", "message");
        e.put("app", "");
        e.put("nested", "");
        e.put("duration", "");
        e.put("component", "");
        e.put("prop", "complex.log.prop");
        e.put("dots", "complex.log.\"prop.with.dots\"");
        e.put("first", "complex.log.array[0].test1");
        e.put("nil", "");
        e.put("missing", "nope");
        e.put("bool", "");
        Item i = run.one(run.step(JsonStage.Spec.of(e, Optional.empty(), false)), Run.item(JSON_LINE));
        assertThat(i.extracted()).containsEntry("out", "this is a log line").containsEntry("app", "loki")
                .containsEntry("nested", "{\"child\":\"value\"}").containsEntry("duration", 125.0)
                .containsEntry("component", "[\"parser\",\"type\"]").containsEntry("prop", "value")
                .containsEntry("dots", "val").containsEntry("first", "test1").containsEntry("bool", true)
                .containsEntry("nil", null).containsEntry("missing", null);
        assertThat(Values.string(i.extracted().get("duration"))).isEqualTo("125");
    }

    @Test
    void jsonMalformedLineChangesNothingOrIsDropped() {
        Map<String, String> e = Map.of("app", "");
        Item i = run.one(run.step(JsonStage.Spec.of(e, Optional.empty(), false)), Run.item("{\"app\":\"loki\" garbage"));
        assertThat(i.extracted()).doesNotContainKey("app");
        assertThat(run.one(run.step(JsonStage.Spec.of(e, Optional.empty(), false)), Run.item("[1,2]")).extracted())
                .doesNotContainKey("app");
        assertThat(run.one(run.step(JsonStage.Spec.of(e, Optional.empty(), true)), Run.item("not json"))).isNull();
        assertThat(run.dropped).containsExactly(tailflow.agent.pipeline.Emitter.UNCOUNTED); // Promtail counts it nowhere
    }

    @Test
    void jsonConfigErrors() {
        assertThatThrownBy(() -> JsonStage.Spec.of(Map.of(), Optional.empty(), false)).hasMessageContaining("JMES expression is required");
        assertThatThrownBy(() -> JsonStage.Spec.of(Map.of("a", "a.b[["), Optional.empty(), false))
                .hasMessageContaining("could not compile JMES expression");
        assertThatThrownBy(() -> JsonStage.Spec.of(Map.of("a", "a"), Optional.of(""), false)).hasMessageContaining("empty source");
    }

    @Test
    void jsonOnSource() {
        Step s = run.chain(JsonStage.Spec.of(Map.of("user", ""), Optional.of("payload"), false));
        Item i = run.one(s, Run.item("x", Labels.empty(), Map.of("payload", "{\"user\":\"marco\"}")));
        assertThat(i.extracted()).containsEntry("user", "marco");
    }

    @Test
    void logfmtAsGoLogfmt() {
        Map<String, String> mapping = new LinkedHashMap<>();
        mapping.put("time", "");
        mapping.put("app", "");
        mapping.put("level", "");
        mapping.put("msg", "message");
        mapping.put("empty", "");
        Item i = run.one(run.step(LogfmtStage.Spec.of(mapping, Optional.empty())),
                Run.item("time=2012-11-01T22:08:41+00:00 app=loki level=WARN duration=125 message=\"this is a \\\"log\\\" line\" empty"));
        assertThat(i.extracted()).containsEntry("time", "2012-11-01T22:08:41+00:00").containsEntry("app", "loki")
                .containsEntry("level", "WARN").containsEntry("msg", "this is a \"log\" line").containsEntry("empty", "")
                .doesNotContainKey("duration");
        // a syntax error stops decoding; what came before stays
        Item bad = run.one(run.step(LogfmtStage.Spec.of(mapping, Optional.empty())), Run.item("app=loki level=a=b time=x"));
        assertThat(bad.extracted()).containsEntry("app", "loki").doesNotContainKey("level").doesNotContainKey("time");
        assertThatThrownBy(() -> LogfmtStage.Spec.of(Map.of(), Optional.empty())).hasMessageContaining("mapping is required");
    }

    @Test
    void replaceAsPromtail() {
        // replace_test: the captured groups are replaced, the rest of the line stays
        String line = "11.11.11.11 - frank [25/Jan/2000:14:00:01 -0500] \"GET /1986.js HTTP/1.1\" 200 932 \"-\"";
        Item i = run.one(run.step(ReplaceStage.Spec.of("^(\\S+) \\S+ (\\S+)", Optional.empty(), "*****")), Run.item(line));
        assertThat(i.line()).isEqualTo("***** - ***** [25/Jan/2000:14:00:01 -0500] \"GET /1986.js HTTP/1.1\" 200 932 \"-\"");
        Item up = run.one(run.step(ReplaceStage.Spec.of("(?P<method>GET|POST)", Optional.empty(), "{{ .Value | ToLower }}")),
                Run.item(line));
        assertThat(up.line()).contains("\"get /1986.js");
        assertThat(up.extracted()).containsEntry("method", "get");
        Item all = run.one(run.step(ReplaceStage.Spec.of("(\\d)", Optional.empty(), "#")), Run.item("a1b22"));
        assertThat(all.line()).isEqualTo("a#b##");
        Item nogroup = run.one(run.step(ReplaceStage.Spec.of("\\d", Optional.empty(), "#")), Run.item("a1b22"));
        assertThat(nogroup.line()).isEqualTo("a1b22");
        Item src = run.one(run.chain(ReplaceStage.Spec.of("(pass=)\\w+", Optional.of("q"), "pass=***")),
                Run.item("l", Labels.empty(), Map.of("q", "user=a pass=secret")));
        assertThat(src.extracted()).containsEntry("q", "user=a pass=***secret");
        assertThat(src.line()).isEqualTo("l");
        Item empty = run.one(run.step(ReplaceStage.Spec.of("(password=\\S+) ", Optional.empty(), "")),
                Run.item("user=a password=x rest"));
        assertThat(empty.line()).isEqualTo("user=a  rest");
    }

    @Test
    void outputSetsTheLine() {
        Step s = run.chain(LabelStages.OutputSpec.of("message"));
        assertThat(run.one(s, Run.item("raw", Labels.empty(), Map.of("message", "hello"))).line()).isEqualTo("hello");
        assertThat(run.one(s, Run.item("raw")).line()).isEqualTo("raw");
        Map<String, Object> nil = new java.util.HashMap<>();
        nil.put("message", null);
        assertThat(run.one(s, Run.item("raw", Labels.empty(), nil)).line()).isEqualTo("raw");
        assertThatThrownBy(() -> LabelStages.OutputSpec.of("")).hasMessageContaining("output source value is required");
    }

    @Test
    void chainCopiesLabelsIntoExtracted() {
        Item i = run.one(run.chain(LabelStages.OutputSpec.of("filename")), Run.item("x", Labels.of("filename", "/var/log/a"), Map.of()));
        assertThat(i.line()).isEqualTo("/var/log/a");
    }
}

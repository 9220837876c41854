package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Labels;

/** labels, static_labels, labeldrop/allow, structured_metadata, tenant, match, drop, multiline and friends. */
class FilterAndLabelStagesTest {
    private final Run run = new Run();

    @Test
    void labelsFromExtractedValues() {
        Step s = run.chain(LabelStages.LabelsSpec.of(Map.of("level", "", "app", "application", "n", "num", "nil", "")));
        Map<String, Object> ex = new java.util.HashMap<>(Map.of("level", "WARN", "application", "loki", "num", 1.5));
        ex.put("nil", null);
        Item i = run.one(s, Run.item("x", Labels.of("job", "j"), ex));
        assertThat(i.labels()).isEqualTo(Labels.of("job", "j", "level", "WARN", "app", "loki", "n", "1.5"));
        assertThatThrownBy(() -> LabelStages.LabelsSpec.of(Map.of("bad-name", ""))).hasMessageContaining("invalid label name");
    }

    @Test
    void staticLabelsDropAndAllow() {
        Item i = run.one(run.chain(LabelStages.StaticLabelsSpec.of(Map.of("env", "prod", "empty", "")),
                LabelStages.LabelFilterSpec.of(List.of("filename"), false)), Run.item("x", Labels.of("filename", "/a", "job", "j"), Map.of()));
        assertThat(i.labels()).isEqualTo(Labels.of("env", "prod", "job", "j"));
        Item k = run.one(run.chain(LabelStages.LabelFilterSpec.of(List.of("job", "nope"), true)),
                Run.item("x", Labels.of("filename", "/a", "job", "j"), Map.of()));
        assertThat(k.labels()).isEqualTo(Labels.of("job", "j"));
    }

    @Test
    void structuredMetadataMovesLabelsOutOfTheStream() {
        Step s = run.chain(LabelStages.StructuredMetadataSpec.of(Map.of("trace_id", "", "app", "")));
        Item i = run.one(s, Run.item("x", Labels.of("app", "loki", "job", "j"), Map.of("trace_id", "abc")));
        assertThat(i.toEntry().structuredMetadata()).isEqualTo(Labels.of("trace_id", "abc", "app", "loki"));
        assertThat(i.labels()).isEqualTo(Labels.of("job", "j"));
    }

    @Test
    void tenantFromSourceLabelOrValue() {
        assertThat(run.one(run.chain(LabelStages.TenantSpec.of("customer", "", "")), Run.item("x", Labels.empty(), Map.of("customer", "acme")))
                .labels().get(LabelStages.TENANT_LABEL)).isEqualTo("acme");
        assertThat(run.one(run.chain(LabelStages.TenantSpec.of("", "", "team-a")), Run.item("x")).labels().get("__tenant_id__"))
                .isEqualTo("team-a");
        assertThat(run.one(run.chain(LabelStages.TenantSpec.of("", "ns", "")), Run.item("x")).labels().has("__tenant_id__")).isFalse();
        assertThatThrownBy(() -> LabelStages.TenantSpec.of("a", "", "b")).hasMessageContaining("mutually exclusive");
        assertThatThrownBy(() -> LabelStages.TenantSpec.of("", "", "")).hasMessageContaining("required");
    }

    // match_test.go's TestMatcher table: selector, labels, action, shouldDrop, shouldRun
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ';', value = {
        "{foo=\"bar\"} |= \"foo\";foo=bar;keep;false;true",
        "{foo=\"bar\"} |~ \"foo\";foo=bar;keep;false;true",
        "{foo=\"bar\"} |= \"bar\";foo=bar;keep;false;false",
        "{foo=\"bar\"} |~ \"bar\";foo=bar;keep;false;false",
        "{foo=\"bar\"} != \"bar\";foo=bar;keep;false;true",
        "{foo=\"bar\"} !~ \"bar\";foo=bar;keep;false;true",
        "{foo=\"bar\"} != \"foo\";foo=bar;keep;false;false",
        "{foo=\"bar\"} |= \"foo\";foo=bar;drop;true;false",
        "{foo=\"bar\"} |~ \"foo\";foo=bar;drop;true;false",
        "{foo=\"bar\"} |= \"bar\";foo=bar;drop;false;false",
        "{foo=\"bar\"} != \"bar\";foo=bar;drop;true;false",
        "{foo=\"bar\"} != \"foo\";foo=bar;drop;false;false",
        "{foo=\"bar\"};foo=bar;keep;false;true",
        "{foo=\"\"};foo=bar;keep;false;false",
        "{foo=\"\"};;keep;false;true",
        "{foo!=\"bar\"};foo=bar;keep;false;false",
        "{foo=\"bar\",bar!=\"test\"};foo=bar;keep;false;true",
        "{foo=\"bar\",bar!=\"test\"};foo=bar;drop;true;false",
        "{foo=\"bar\",bar!=\"test\"};foo=bar,bar=test;keep;false;false",
        "{foo=\"bar\",bar=~\"te.*\"};foo=bar,bar=test;drop;true;false",
        "{foo=\"bar\",bar=~\"te.*\"};foo=bar,bar=test;keep;false;true",
        "{foo=\"bar\",bar!~\"te.*\"};foo=bar,bar=test;keep;false;false",
        "{foo=\"bar\",bar=~\"t\"};foo=bar,bar=test;keep;false;false",
    })
    void matchAsPromtail(String selector, String labels, String action, boolean shouldDrop, boolean shouldRun) {
        java.util.Map<String, String> l = new java.util.HashMap<>();
        if (labels != null) {
            for (String kv : labels.split(",")) {
                l.put(kv.split("=")[0], kv.split("=")[1]);
            }
        }
        List<StageSpec> nested = action.equals("keep") ? List.of(LabelStages.StaticLabelsSpec.of(Map.of("test_label", "unimportant")))
                : List.of();
        Step s = run.chain(MatchStage.Spec.of(selector, nested, Optional.of(action), Optional.empty(), Optional.empty()));
        Item out = run.one(s, Run.item("foo", Labels.of(l), Map.of()));
        if (shouldDrop) {
            assertThat(out).isNull();
            assertThat(run.dropped).containsExactly("match_stage");
        } else {
            assertThat(out).isNotNull();
            assertThat(out.labels().has("test_label")).isEqualTo(shouldRun);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"foo", "{}", "{", "{foo=\"bar\"} !~ \"[]\"", "{foo=\"bar\"} |= \"foo\" | status >= 200",
        "{foo=bar}", "{foo=\"bar}"})
    void badSelectorsAreConfigErrors(String selector) {
        assertThatThrownBy(() -> MatchStage.Spec.of(selector, List.of(), Optional.of("drop"), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("selector");
    }

    @Test
    void matchValidation() {
        assertThatThrownBy(() -> MatchStage.Spec.of("{a=\"b\"}", List.of(), Optional.empty(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("requires at least one additional stage");
        assertThatThrownBy(() -> MatchStage.Spec.of("{a=\"b\"}", List.of(new LineStages.DecolorizeSpec()), Optional.of("drop"),
                Optional.empty(), Optional.empty())).hasMessageContaining("cannot contains stages");
        assertThatThrownBy(() -> MatchStage.Spec.of("{a=\"b\"}", List.of(), Optional.of("nope"), Optional.empty(), Optional.empty()))
                .hasMessageContaining("'keep' or 'drop'");
        assertThatThrownBy(() -> MatchStage.Spec.of("", List.of(), Optional.of("drop"), Optional.empty(), Optional.empty()))
                .hasMessageContaining("selector statement required");
        Step s = run.chain(MatchStage.Spec.of("{app=\"a\"} |= \"debug\"", List.of(), Optional.of("drop"), Optional.of("noise"),
                Optional.empty()));
        run.one(s, Run.item("a debug line", Labels.of("app", "a"), Map.of()));
        assertThat(run.dropped).containsExactly("noise");
    }

    @Test
    void dropAsPromtail() {
        Step longer = run.chain(DropStage.Spec.of(List.of(), Optional.empty(), Optional.empty(), ";", -1, 10, Optional.empty()));
        assertThat(run.one(longer, Run.item("12345678901"))).isNull();
        assertThat(run.one(longer, Run.item("1234567890"))).isNotNull();
        assertThat(run.one(longer, Run.item("ééééé"))).isNotNull(); // 10 UTF-8 bytes
        Step older = run.chain(DropStage.Spec.of(List.of(), Optional.empty(), Optional.empty(), ";", 3_600_000_000_000L, -1, Optional.of("old")));
        assertThat(run.one(older, Run.item("x"))).isNull(); // timestamp 1 µs after the epoch
        Item recent = Run.item("x");
        recent.timestampNanos = (Run.NOW.getEpochSecond() - 60) * 1_000_000_000L;
        assertThat(run.one(older, recent)).isNotNull();
        Step source = run.chain(DropStage.Spec.of(List.of("app"), Optional.empty(), Optional.empty(), ";", -1, -1, Optional.empty()));
        assertThat(run.one(source, Run.item("x", Labels.empty(), Map.of("app", "a")))).isNull();
        assertThat(run.one(source, Run.item("x"))).isNotNull();
        Step value = run.chain(DropStage.Spec.of(List.of("level", "app"), Optional.of("debug;loki"), Optional.empty(), ";", -1, -1,
                Optional.empty()));
        assertThat(run.one(value, Run.item("x", Labels.empty(), Map.of("level", "debug", "app", "loki")))).isNull();
        assertThat(run.one(value, Run.item("x", Labels.empty(), Map.of("level", "debug", "app", "lokix")))).isNotNull();
        Step expr = run.chain(DropStage.Spec.of(List.of(), Optional.empty(), Optional.of(".*debug.*"), ";", -1, -1, Optional.empty()));
        assertThat(run.one(expr, Run.item("a debug line"))).isNull();
        assertThat(run.one(expr, Run.item("an info line"))).isNotNull();
        assertThat(run.dropped).containsExactly("drop_stage", "old", "drop_stage", "drop_stage", "drop_stage");
        assertThatThrownBy(() -> DropStage.Spec.of(List.of(), Optional.of("v"), Optional.empty(), ";", 1, -1, Optional.empty()))
                .hasMessageContaining("must contain `source`");
        assertThatThrownBy(() -> DropStage.Spec.of(List.of("a"), Optional.of("v"), Optional.of("x"), ";", -1, -1, Optional.empty()))
                .hasMessageContaining("cannot both be defined");
        assertThatThrownBy(() -> DropStage.Spec.of(List.of(), Optional.empty(), Optional.empty(), ";", -1, -1, Optional.empty()))
                .hasMessageContaining("at least one of");
    }

    @Test
    void multilineJoinsStackTracesKeepingFirstTimestampAndLastCheckpoint() {
        Step s = run.step(MultilineStage.Spec.of("^\\[\\d{4}", 3_000_000_000L, 128));
        Labels l = Labels.of("job", "j");
        run.one(s, at("before any first line", l, 1, 10));
        assertThat(run.out).hasSize(1); // passes through until the stream's first first line
        s.process(at("[2024] boom", l, 2, 20), run);
        s.process(at("  at a.b(C.java:1)", l, 3, 30), run);
        s.process(at("  at d.e(F.java:2)", l, 4, 40), run);
        assertThat(s.holding()).isTrue();
        assertThat(run.out).hasSize(1);
        s.process(at("[2024] next", l, 5, 50), run);
        assertThat(run.out).hasSize(2);
        Item merged = run.out.get(1);
        assertThat(merged.line()).isEqualTo("[2024] boom\n  at a.b(C.java:1)\n  at d.e(F.java:2)");
        assertThat(merged.timestampNanos()).isEqualTo(2);
        assertThat(merged.toEntry().checkpoint()).isEqualTo(new Checkpoint.FileOffset("f", 40));
        // max_wait_time since the stream's last line releases the block
        s.tick(run.mono.get() + 2_999_999_999L, run);
        assertThat(run.out).hasSize(2);
        s.tick(run.mono.get() + 3_000_000_000L, run);
        assertThat(run.out).hasSize(3);
        assertThat(run.out.get(2).line()).isEqualTo("[2024] next");
        assertThat(s.holding()).isFalse();
    }

    @Test
    void multilineKeepsStreamsApartAndHonoursMaxLines() {
        Step s = run.step(MultilineStage.Spec.of("^start", 3_000_000_000L, 2));
        Labels a = Labels.of("f", "a");
        Labels b = Labels.of("f", "b");
        s.process(at("start a", a, 1, 1), run);
        s.process(at("start b", b, 2, 1), run);
        s.process(at("more b", b, 3, 2), run); // b reaches max_lines
        assertThat(run.out).extracting(Item::line).containsExactly("start b\nmore b");
        s.process(at("more a", a, 4, 2), run);
        s.flush(run);
        assertThat(run.out).extracting(Item::line).containsExactly("start b\nmore b", "start a\nmore a");
    }

    @Test
    void multilineMaxLinesZeroMeansNoLimitAsPromtail() {
        Step s = run.step(MultilineStage.Spec.of("^start", 3_000_000_000L, 0));
        Labels a = Labels.of("f", "a");
        s.process(at("start a", a, 1, 1), run);
        for (int i = 0; i < 300; i++) {
            s.process(at("more " + i, a, 2 + i, 2 + i), run);
        }
        assertThat(run.out).isEmpty();
        s.flush(run);
        assertThat(run.out).hasSize(1);
        assertThat(run.out.get(0).line().split("\n")).hasSize(301);
    }

    private static Item at(String line, Labels l, long ts, long offset) {
        Item i = Run.item(line, l, Map.of());
        return new Item(l, ts, line, Labels.empty(), new Checkpoint.FileOffset("f", offset), new java.util.HashMap<>());
    }

    @Test
    void dockerAndCri() {
        Item d = run.one(run.step(new FormatStages.DockerSpec()), Run.item(
                "{\"log\":\"log message\\n\",\"stream\":\"stderr\",\"time\":\"2019-04-30T02:12:41.8443515Z\"}", Labels.of("job", "j"), Map.of()));
        assertThat(d.line()).isEqualTo("log message\n");
        assertThat(d.labels()).isEqualTo(Labels.of("job", "j", "stream", "stderr"));
        assertThat(d.timestampNanos()).isEqualTo(1556590361844351500L);
        Step cri = run.step(new FormatStages.CriSpec(100, 0, false));
        Item c = run.one(cri, Run.item("2019-01-01T01:00:00.000000001Z stderr F my message"));
        assertThat(c.line()).isEqualTo("my message");
        assertThat(c.labels()).isEqualTo(Labels.of("stream", "stderr"));
        assertThat(c.timestampNanos()).isEqualTo(1546304400000000001L);
        cri.process(Run.item("2019-01-01T01:00:00.000000001Z stdout P partial one "), run);
        cri.process(Run.item("2019-01-01T01:00:00.000000002Z stdout P partial two "), run);
        assertThat(cri.holding()).isTrue();
        Item full = run.one(cri, Run.item("2019-01-01T01:00:00.000000003Z stdout F end"));
        assertThat(full.line()).isEqualTo("partial one partial two end");
        assertThat(cri.holding()).isFalse();
    }

    @Test
    void decolorizePackLimitSampling() {
        assertThat(run.one(run.step(new LineStages.DecolorizeSpec()), Run.item("\u001B[31mred\u001B[0m plain")).line()).isEqualTo("red plain");
        Item p = run.one(run.chain(new LineStages.PackSpec(List.of("pod", "container"), true)),
                Run.item("a \"line\"", Labels.of("pod", "p1", "container", "c1", "job", "j"), Map.of()));
        assertThat(p.line()).isEqualTo("{\"container\":\"c1\",\"pod\":\"p1\",\"_entry\":\"a \\\"line\\\"\"}");
        assertThat(p.labels()).isEqualTo(Labels.of("job", "j"));
        assertThat(p.timestampNanos()).isEqualTo(Run.NOW.getEpochSecond() * 1_000_000_000L);

        Step limit = run.step(RateStages.LimitSpec.of(1, 2, true, Optional.empty(), 0));
        for (int i = 0; i < 3; i++) {
            limit.process(Run.item("x"), run);
        }
        assertThat(run.dropped).containsExactly("ratelimit_drop_stage");
        run.mono.addAndGet(1_000_000_000L);
        assertThat(run.one(limit, Run.item("y"))).isNotNull();
        Step wait = run.step(RateStages.LimitSpec.of(10, 1, false, Optional.empty(), 0));
        wait.process(Run.item("a"), run);
        wait.process(Run.item("b"), run);
        assertThat(run.slept).containsExactly(100_000_000L);
        assertThatThrownBy(() -> RateStages.LimitSpec.of(1, 1, false, Optional.of("app"), 0)).hasMessageContaining("drop must be true");

        Step never = run.step(RateStages.SamplingSpec.of(0, Optional.empty()));
        Step always = run.step(RateStages.SamplingSpec.of(1, Optional.empty()));
        assertThat(run.one(never, Run.item("x"))).isNull();
        assertThat(run.one(always, Run.item("x"))).isNotNull();
        assertThatThrownBy(() -> RateStages.SamplingSpec.of(1.5, Optional.empty())).hasMessageContaining("between 0.0 and 1.0");
    }
}

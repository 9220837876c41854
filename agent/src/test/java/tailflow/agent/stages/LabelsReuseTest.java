package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Emitter;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;

/**
 * The labels stage remembers the set it made for the last (stream, value) and entries leave the
 * stages with one Labels instance per distinct set (so Loki text and hash are computed once per
 * stream): the values must still be exactly what each entry asked for.
 */
class LabelsReuseTest {
    private final Run run = new Run();

    @Test
    void eachEntryGetsItsOwnValueAndEqualSetsShareOneInstance() {
        Step s = run.chain(LabelStages.LabelsSpec.of(Map.of("level", "")));
        Labels web = Labels.of("job", "web");
        Labels db = Labels.of("job", "db");
        List<Labels> got = new ArrayList<>();
        for (Object[] in : new Object[][] {{web, "info"}, {web, "info"}, {web, "warn"}, {db, "warn"}, {web, "info"}, {db, "warn"}}) {
            got.add(run.one(s, Run.item("x", (Labels) in[0], Map.of("level", in[1]))).labels());
        }
        assertThat(got).containsExactly(Labels.of("job", "web", "level", "info"), Labels.of("job", "web", "level", "info"),
                Labels.of("job", "web", "level", "warn"), Labels.of("job", "db", "level", "warn"),
                Labels.of("job", "web", "level", "info"), Labels.of("job", "db", "level", "warn"));
        assertThat(got.get(4)).isSameAs(got.get(0));
        assertThat(got.get(5)).isSameAs(got.get(3));
    }

    @Test
    void entriesLeaveTheStagesWithOneInstancePerStream() {
        StagesStage stage = new StagesStage(List.of(LabelStages.StaticLabelsSpec.of(Map.of("env", "prod"))), run.ctx());
        List<Entry> out = new ArrayList<>();
        Emitter collect = new Emitter() {
            @Override
            public void emit(Entry e) {
                out.add(e);
            }

            @Override
            public void drop(Entry e, String reason) {}
        };
        for (int i = 0; i < 3; i++) {
            stage.process(new Entry(Labels.of("job", "a"), i, "line", new Checkpoint.FileOffset("f", i)), collect);
        }
        assertThat(out).extracting(Entry::labels).containsOnly(Labels.of("env", "prod", "job", "a"));
        assertThat(out.get(2).labels()).isSameAs(out.get(0).labels());
    }
}

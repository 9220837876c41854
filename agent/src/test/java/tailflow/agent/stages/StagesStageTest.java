package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Emitter;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;

/**
 * StagesStage copies into the extracted map only the labels its stages can read when all of them
 * are stages whose reads are known: what they read from labels must still be there.
 */
class StagesStageTest {
    private final Run run = new Run();

    @Test
    void stagesStillReadLabelsThroughTheExtractedMap() {
        List<StageSpec> specs = List.of(
                RegexStage.Spec.of("(?P<base>[^/]+)$", Optional.of("filename")),
                LabelStages.LabelsSpec.of(Map.of("base", "", "src", "filename")),
                TimestampStage.Spec.of("when", "Unix", List.of(), Optional.empty(), Optional.of("skip")));
        assertThat(StagesStage.keysRead(specs)).containsExactlyInAnyOrder("filename", "base", "when");
        StagesStage stage = new StagesStage(specs, run.ctx());
        List<Entry> out = new ArrayList<>();
        stage.process(new Entry(Labels.of("filename", "/var/log/app.log", "job", "x", "when", "1700000000"), 5, "line",
                new Checkpoint.FileOffset("f", 4)), new Emitter() {
                    @Override
                    public void emit(Entry e) {
                        out.add(e);
                    }

                    @Override
                    public void drop(Entry e, String reason) {}
                });
        assertThat(out).hasSize(1);
        assertThat(out.get(0).labels()).isEqualTo(Labels.of("base", "app.log", "filename", "/var/log/app.log", "job", "x",
                "src", "/var/log/app.log", "when", "1700000000"));
        assertThat(out.get(0).timestampNanos()).isEqualTo(1_700_000_000_000_000_000L);
    }

    @Test
    void anyOtherStageMeansEveryLabelIsCopied() {
        assertThat(StagesStage.keysRead(List.of(LabelStages.LabelsSpec.of(Map.of("a", "")),
                LabelStages.OutputSpec.of("msg")))).isNull();
    }
}

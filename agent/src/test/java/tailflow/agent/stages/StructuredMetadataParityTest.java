package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Labels;

/**
 * Promtail's structuredmetadata.go: extracted values first (processLabelsConfigs), then
 * extractFromLabels moves every configured stream label into structured metadata and off the
 * stream whatever its value. Cases from structuredmetadata_test.go.
 */
class StructuredMetadataParityTest {
    private final Run run = new Run();

    private static Map<String, String> config(String... nameSource) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameSource.length; i += 2) {
            m.put(nameSource[i], nameSource[i + 1]);
        }
        return m;
    }

    @Test
    void staticLabelsUnderADifferentStructuredKey() {
        Step s = run.chain(LabelStages.StaticLabelsSpec.of(config("component", "querier", "pod", "loki-querier-664f97db8d-qhnwg")),
                LabelStages.StructuredMetadataSpec.of(config("pod_name", "pod")));
        Item i = run.one(s, Run.item("x"));
        assertThat(i.toEntry().structuredMetadata()).isEqualTo(Labels.of("pod_name", "loki-querier-664f97db8d-qhnwg"));
        assertThat(i.labels()).isEqualTo(Labels.of("component", "querier"));
    }

    @Test
    void extractedValuesGoToMetadataAndLeaveLabelsAlone() {
        Step s = run.chain(RegexStage.Spec.of("^(?s)(?P<time>\\S+?) (?P<stream>stdout|stderr) (?P<flags>\\S+?) (?P<content>.*)$",
                java.util.Optional.empty()), LabelStages.StructuredMetadataSpec.of(config("stream", "")));
        Item i = run.one(s, Run.item("2019-01-01T01:00:00.000000001Z stderr P i'm a log message!", Labels.of("job", "j"),
                Map.of()));
        assertThat(i.toEntry().structuredMetadata()).isEqualTo(Labels.of("stream", "stderr"));
        assertThat(i.labels()).isEqualTo(Labels.of("job", "j"));
    }

    @Test
    void aConfiguredStreamLabelLeavesTheStreamEvenWhenAnExtractedValueDiffers() {
        Step s = run.chain(LabelStages.StructuredMetadataSpec.of(config("level", "")));
        Item i = run.one(s, Run.item("x", Labels.of("job", "j", "level", "info"), Map.of("level", "warn")));
        // Promtail appends both (extracted, then label); the later one is what a reader sees
        assertThat(i.toEntry().structuredMetadata()).isEqualTo(Labels.of("level", "info"));
        assertThat(i.labels()).isEqualTo(Labels.of("job", "j"));
    }
}

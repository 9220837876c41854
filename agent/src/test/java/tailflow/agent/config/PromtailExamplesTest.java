package tailflow.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tailflow.agent.ops.metrics.Metrics;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Emitter;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;
import tailflow.agent.stages.StageContext;
import tailflow.agent.stages.StagesStage;

/**
 * Promtail configs with pipeline stages load unchanged and without a warning: Promtail's own
 * production/docker/config/promtail.yaml, every stage in the shape of Promtail's docs, and
 * docs-pipelines.yaml: the 76 pipelines of Promtail's v3.4.2 documentation (stage pages,
 * pipelines.md, configuration.md) and clients/cmd/docker-driver/pipeline-example.yaml (only the
 * eventlogmessage page's example is left out: that stage is "not supported yet" on purpose).
 */
class PromtailExamplesTest {

    @ParameterizedTest
    @ValueSource(strings = {"docker-promtail.yaml", "pipelines.yaml", "docs-pipelines.yaml"})
    void loadsWithoutWarnings(String name) throws Exception {
        Path file = Path.of("src/test/resources/promtail-examples", name);
        AgentConfig c = new ConfigLoader(Map.of(), () -> "h", true)
                .load(Optional.of(new ConfigLoader.Source(file, "--config")), Optional.empty());
        assertThat(c.warnings()).isEmpty();
        assertThat(c.scrapeConfigs()).allSatisfy(j -> assertThat(j.pipelineStages()).isNotEmpty());
    }

    /** Each documented pipeline also runs: sample lines in Promtail's docs' shapes go through without a failure. */
    @Test
    void theDocumentedPipelinesRunOnSampleLines() throws Exception {
        AgentConfig c = new ConfigLoader(Map.of(), () -> "h", true).load(Optional.of(new ConfigLoader.Source(
                Path.of("src/test/resources/promtail-examples/docs-pipelines.yaml"), "--config")), Optional.empty());
        List<String> lines = List.of(
                "{\"log\":\"level=info msg=hi\\n\",\"stream\":\"stderr\",\"time\":\"2019-04-30T02:12:41.8443515Z\"}",
                "2019-01-01T01:00:00.000000001Z stderr P i'm a log message!",
                "{\"level\":\"debug\",\"msg\":\"x\",\"app\":\"loki\",\"time\":\"2012-11-01T22:08:41+00:00\",\"user\":\"u\"}",
                "time=2012-11-01T22:08:41+00:00 app=loki level=WARN duration=125 message=\"this is a log line\"",
                "11.11.11.11 - frank [25/Jan/2000:14:00:01 -0500] \"GET /1986.js HTTP/1.1\" 200 932 \"-\" \"Mozilla/5.0\"",
                "not json at all password secret");
        Clock clock = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
        List<String> out = new ArrayList<>();
        Emitter collect = new Emitter() {
            @Override
            public void emit(Entry e) {
                out.add(e.line());
            }

            @Override
            public void drop(Entry e, String reason) {
                out.add("dropped: " + reason);
            }
        };
        for (ScrapeConfig job : c.scrapeConfigs()) {
            StagesStage stages = new StagesStage(job.pipelineStages(), new StageContext(clock, () -> 0, new Metrics(), true,
                    job.jobName(), RandomGenerator.of("L64X128MixRandom"), nanos -> { }));
            for (String line : lines) {
                stages.process(new Entry(Labels.of("job", "example", "app", "loki", "name", "promtail"),
                        1_700_000_000_000_000_000L, line, new Checkpoint.FileOffset("f", 1)), collect);
            }
            stages.flush(collect);
        }
        assertThat(out).hasSizeGreaterThan(c.scrapeConfigs().size());
    }
}

package tailflow.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
}

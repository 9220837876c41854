package tailflow.agent.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import tailflow.agent.relabel.RelabelRule;
import tailflow.agent.stages.StageSpec;

/**
 * One Promtail {@code scrape_configs} job: its static file targets or its {@code journal:} block,
 * the {@code relabel_configs} applied once per entry of its targets, and its {@code pipeline_stages}.
 */
public record ScrapeConfig(String jobName, List<StaticConfig> staticConfigs, List<RelabelRule> relabelConfigs,
        Optional<JournalConfig> journal, List<StageSpec> pipelineStages) {

    public ScrapeConfig {
        staticConfigs = List.copyOf(staticConfigs);
        relabelConfigs = List.copyOf(relabelConfigs);
        pipelineStages = List.copyOf(pipelineStages);
    }

    /** A job without pipeline_stages. */
    public ScrapeConfig(String jobName, List<StaticConfig> staticConfigs, List<RelabelRule> relabelConfigs,
            Optional<JournalConfig> journal) {
        this(jobName, staticConfigs, relabelConfigs, journal, List.of());
    }

    /** A file job without relabelling. */
    public ScrapeConfig(String jobName, List<StaticConfig> staticConfigs) {
        this(jobName, staticConfigs, List.of(), Optional.empty());
    }

    /**
     * A {@code static_configs} entry. {@code labels} holds the labels attached to every stream
     * (the reserved {@code __path__} and {@code __path_exclude__} are split out into their own fields).
     */
    public record StaticConfig(
            List<String> targets,
            Map<String, String> labels,
            String pathGlob,
            Optional<String> pathExcludeGlob) {

        public StaticConfig {
            targets = List.copyOf(targets);
            labels = Map.copyOf(labels);
        }
    }
}

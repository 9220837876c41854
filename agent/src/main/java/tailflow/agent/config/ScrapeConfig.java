package tailflow.agent.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One Promtail {@code scrape_configs} job with its static targets. */
public record ScrapeConfig(String jobName, List<StaticConfig> staticConfigs) {

    public ScrapeConfig {
        staticConfigs = List.copyOf(staticConfigs);
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

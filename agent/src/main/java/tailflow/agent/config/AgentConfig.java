package tailflow.agent.config;

import java.util.List;
import java.util.Optional;

/**
 * The agent's effective configuration: Promtail's schema plus an {@code sflow:} block.
 * Every field has its default filled in by the loader; nothing downstream looks at raw YAML.
 */
public record AgentConfig(
        ServerConfig server,
        PositionsConfig positions,
        List<ClientConfig> clients,
        List<ScrapeConfig> scrapeConfigs,
        TargetConfig targetConfig,
        LimitsConfig limits,
        Optional<SflowConfig> sflow,
        List<ConfigWarning> warnings) {

    public AgentConfig {
        clients = List.copyOf(clients);
        scrapeConfigs = List.copyOf(scrapeConfigs);
        warnings = List.copyOf(warnings);
    }
}

package tailflow.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ClientConfig;
import tailflow.agent.config.LimitsConfig;
import tailflow.agent.config.PositionsConfig;
import tailflow.agent.config.ScrapeConfig;
import tailflow.agent.config.ServerConfig;
import tailflow.agent.config.TargetConfig;

/** Config records built directly, with Promtail's defaults, for unit tests. */
public final class TestConfigs {

    private TestConfigs() {}

    public static AgentConfig minimal() {
        return agent(Path.of("/nonexistent/positions.yaml"), List.of(), List.of());
    }

    public static ClientConfig client(String url) {
        return new ClientConfig(URI.create(url), Optional.empty(), Duration.ofSeconds(1), 1024 * 1024,
                Duration.ofSeconds(10), new ClientConfig.BackoffConfig(Duration.ofMillis(500), Duration.ofMinutes(5), 10),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), ClientConfig.PushEncoding.PROTOBUF);
    }

    public static ScrapeConfig job(String name, String glob, Map<String, String> labels) {
        return new ScrapeConfig(name, List.of(new ScrapeConfig.StaticConfig(List.of("localhost"), labels, glob, Optional.empty())));
    }

    public static AgentConfig agent(Path positions, List<ClientConfig> clients, List<ScrapeConfig> jobs) {
        return new AgentConfig(new ServerConfig("127.0.0.1", 0, 0), new PositionsConfig(positions, Duration.ofSeconds(10)),
                clients, jobs, new TargetConfig(Duration.ofSeconds(10)),
                new LimitsConfig(256 * 1024, Duration.ofSeconds(5)), Optional.empty(), List.of());
    }
}

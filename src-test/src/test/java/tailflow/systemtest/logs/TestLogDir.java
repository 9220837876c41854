package tailflow.systemtest.logs;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes an agent config for a test directory: files under {@code logs/}, positions beside them. */
public final class TestLogDir {

    private TestLogDir() {}

    /** Extra YAML for the client entry (indented 4 spaces), e.g. tenant or auth. */
    public static Path writeConfig(Path dir, URI pushUrl, int httpPort, String glob, String clientExtra, String limitsExtra)
            throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        String yaml = """
                server:
                  http_listen_address: 127.0.0.1
                  http_listen_port: %d
                positions:
                  filename: %s
                  sync_period: 1s
                target_config:
                  sync_period: 1s
                limits_config:
                  partial_line_wait: 1s
                %s
                clients:
                  - url: %s
                    batchwait: 200ms
                    timeout: 2s
                    backoff_config:
                      min_period: 100ms
                      max_period: 1s
                %s
                scrape_configs:
                  - job_name: system
                    static_configs:
                      - targets: [localhost]
                        labels:
                          job: varlogs
                          hostname: testhost
                          __path__: %s
                """.formatted(httpPort, dir.resolve("positions.yaml"), limitsExtra == null ? "" : limitsExtra, pushUrl,
                clientExtra == null ? "" : clientExtra, glob);
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, yaml);
        return config;
    }
}

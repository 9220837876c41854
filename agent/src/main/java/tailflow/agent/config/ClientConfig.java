package tailflow.agent.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** One entry of Promtail's {@code clients:} list: a Loki push endpoint and how to talk to it. */
public record ClientConfig(
        URI url,
        Optional<String> tenantId,
        Duration batchWait,
        long batchSizeBytes,
        Duration timeout,
        BackoffConfig backoff,
        Optional<BasicAuth> basicAuth,
        Optional<String> bearerToken,
        Optional<TlsConfig> tls,
        Map<String, String> externalLabels,
        PushEncoding encoding) {

    public ClientConfig {
        externalLabels = Map.copyOf(externalLabels);
    }

    public enum PushEncoding { PROTOBUF, JSON }

    /** Promtail's {@code backoff_config}; tailflow retries forever, so max_retries is reported, not obeyed. */
    public record BackoffConfig(Duration minPeriod, Duration maxPeriod, int maxRetries) {}

    public record BasicAuth(String username, Optional<String> password, Optional<java.nio.file.Path> passwordFile) {}

    public record TlsConfig(
            Optional<java.nio.file.Path> caFile,
            Optional<java.nio.file.Path> certFile,
            Optional<java.nio.file.Path> keyFile,
            Optional<String> serverName,
            boolean insecureSkipVerify) {}
}

package tailflow.agent.config;

import java.util.logging.Level;

/**
 * Promtail's {@code server:} block. {@code grpc_listen_port} is accepted and unused;
 * {@code log_level} (debug, info, warn, error) is the agent's own log level.
 */
public record ServerConfig(String httpListenAddress, int httpListenPort, int grpcListenPort, String logLevel) {
    public static final int DEFAULT_HTTP_PORT = 9080;
    public static final String DEFAULT_LOG_LEVEL = "info";

    public ServerConfig(String httpListenAddress, int httpListenPort, int grpcListenPort) {
        this(httpListenAddress, httpListenPort, grpcListenPort, DEFAULT_LOG_LEVEL);
    }

    /** Promtail's level names as java.util.logging levels. */
    public Level julLevel() {
        return switch (logLevel) {
            case "debug" -> Level.FINE;
            case "warn" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> Level.INFO;
        };
    }
}

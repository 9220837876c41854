package tailflow.agent.config;

/** Promtail's {@code server:} block. {@code grpc_listen_port} is accepted and unused. */
public record ServerConfig(String httpListenAddress, int httpListenPort, int grpcListenPort) {
    public static final int DEFAULT_HTTP_PORT = 9080;
}

package tailflow.agent.ops.http;

import java.io.IOException;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import tailflow.agent.component.Component;
import tailflow.agent.component.ComponentContext;
import tailflow.agent.component.HealthView;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ServerConfig;
import tailflow.agent.json.PrettyJson;
import tailflow.agent.ops.metrics.Metrics;

/**
 * The agent's HTTP endpoint on {@code server.http_listen_address:http_listen_port} (Promtail's
 * 9080 by default): {@code /metrics} (Prometheus text format), {@code /ready} (200 when every
 * component is ready, else 503 naming the ones that are not), {@code /config} (the effective
 * config as JSON, secrets masked). Port 0 picks a free port; the bound address is logged.
 * Served by {@link BlockingHttpServer}: one thread that sleeps in accept() until someone asks.
 */
public final class OpsHttpServer implements Component {

    private static final Logger LOG = Logger.getLogger(OpsHttpServer.class.getName());

    /** How long a client may take to send its request head. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final HealthView health;
    private final Metrics metrics;
    private BlockingHttpServer http;

    /** Serves {@code config} (the one it was built for: a reload builds a new server) and {@code health}. */
    public OpsHttpServer(AgentConfig config, HealthView health, Metrics metrics) {
        this.config = config;
        this.health = health;
        this.metrics = metrics;
    }

    public static Optional<Component> create(AgentConfig config, ComponentContext context) {
        return Optional.of(new OpsHttpServer(config, context.health(), context.metrics()));
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void start() throws IOException {
        ServerConfig server = config.server();
        String host = server.httpListenAddress() == null || server.httpListenAddress().isBlank()
                ? "0.0.0.0" : server.httpListenAddress();
        http = new BlockingHttpServer(new InetSocketAddress(host, server.httpListenPort()), READ_TIMEOUT, this::handle);
        http.start();
        LOG.info("ops HTTP listening on " + address());
    }

    /** The bound address, e.g. {@code 127.0.0.1:9080} (useful with port 0). */
    public String address() {
        InetSocketAddress a = http.address();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public void stop(Duration timeout) throws InterruptedException {
        if (http != null) {
            http.stop(timeout);
        }
    }

    BlockingHttpServer.Response handle(BlockingHttpServer.Request request) {
        return switch (request.path()) {
            case "/metrics" -> metrics();
            case "/ready" -> readiness();
            case "/config" -> new BlockingHttpServer.Response(200, "application/json",
                    PrettyJson.write(ConfigView.of(config)));
            default -> BlockingHttpServer.Response.text(404, "not found: " + request.path()
                    + " (try /metrics, /ready, /config)\n");
        };
    }

    private BlockingHttpServer.Response metrics() {
        StringWriter body = new StringWriter();
        try {
            metrics.writeTo(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not throw
        }
        return new BlockingHttpServer.Response(200, "text/plain; version=0.0.4; charset=utf-8", body.toString());
    }

    private BlockingHttpServer.Response readiness() {
        List<String> notReady = health.notReady();
        if (health.ready()) {
            return BlockingHttpServer.Response.text(200, "ready\n");
        }
        return BlockingHttpServer.Response.text(503, "not ready: " + String.join(", ", notReady) + "\n");
    }
}

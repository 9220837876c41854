package tailflow.agent.ops.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import tailflow.agent.component.Component;
import tailflow.agent.component.ComponentContext;
import tailflow.agent.component.HealthView;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ServerConfig;
import tailflow.agent.ops.metrics.Metrics;

/**
 * The agent's HTTP endpoint on {@code server.http_listen_address:http_listen_port} (Promtail's
 * 9080 by default): {@code /metrics} (Prometheus text format), {@code /ready} (200 when every
 * component is ready, else 503 naming the ones that are not), {@code /config} (the effective
 * config as JSON, secrets masked). Port 0 picks a free port; the bound address is logged.
 */
public final class OpsHttpServer implements Component {

    private static final Logger LOG = Logger.getLogger(OpsHttpServer.class.getName());

    private final AgentConfig config;
    private final HealthView health;
    private final Metrics metrics;
    private HttpServer http;
    private ExecutorService executor;

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
        http = HttpServer.create(new InetSocketAddress(host, server.httpListenPort()), 16);
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ops-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/metrics", this::metrics);
        http.createContext("/ready", this::ready);
        http.createContext("/config", this::config);
        http.start();
        LOG.info("ops HTTP listening on " + address());
    }

    /** The bound address, e.g. {@code 127.0.0.1:9080} (useful with port 0). */
    public String address() {
        InetSocketAddress a = http.getAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public void stop(Duration timeout) {
        if (http != null) {
            http.stop(0);
            executor.shutdownNow();
        }
    }

    private void metrics(HttpExchange ex) throws IOException {
        StringWriter body = new StringWriter();
        metrics.writeTo(body);
        respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", body.toString());
    }

    private void ready(HttpExchange ex) throws IOException {
        List<String> notReady = health.notReady();
        if (health.ready()) {
            respond(ex, 200, "text/plain; charset=utf-8", "ready\n");
        } else {
            respond(ex, 503, "text/plain; charset=utf-8", "not ready: " + String.join(", ", notReady) + "\n");
        }
    }

    private void config(HttpExchange ex) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        respond(ex, 200, "application/json", mapper.writeValueAsString(ConfigView.of(config)) + "\n");
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
        ex.close();
    }

}

package tailflow.agent.ops.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tailflow.agent.component.HealthView;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ConfigLoader;
import tailflow.agent.json.PrettyJson;
import tailflow.agent.ops.metrics.Metrics;

/** The ops endpoints over real sockets: status lines, headers and bodies as a client sees them. */
class OpsHttpServerTest {

    private static final String CONFIG = """
            server:
              http_listen_address: 127.0.0.1
              http_listen_port: 0
            clients:
              - url: http://loki.example:3100/loki/api/v1/push
                tenant_id: team-a
                basic_auth: {username: agent, password: s3cret}
            scrape_configs:
              - job_name: system
                static_configs:
                  - targets: [localhost]
                    labels: {job: varlogs, __path__: /var/log/*log}
            """;

    private final List<String> notReady = new ArrayList<>();
    private final HealthView health = new HealthView() {
        @Override
        public boolean ready() {
            return notReady.isEmpty();
        }

        @Override
        public List<String> notReady() {
            return List.copyOf(notReady);
        }

        @Override
        public List<String> stalled() {
            return List.of();
        }
    };
    private OpsHttpServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
    }

    private OpsHttpServer start(AgentConfig config) throws IOException {
        Metrics metrics = new Metrics();
        metrics.counter("tailflow_sent_entries_total", "Entries sent.", "host").inc(5, "loki:3100");
        server = new OpsHttpServer(config, health, metrics);
        server.start();
        return server;
    }

    private static AgentConfig config(String yaml) throws Exception {
        return new ConfigLoader(Map.of(), () -> "h", false).parseYaml("agent.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void metricsReadyAndConfigAnswerAsBefore() throws Exception {
        start(config(CONFIG));
        String metrics = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(metrics).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n")
                .contains("Connection: close\r\n")
                .contains("tailflow_sent_entries_total{host=\"loki:3100\"} 5");
        assertThat(exchange("GET /ready HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nready\n");
        notReady.add("loki loki.example:3100: answers 401 Unauthorized");
        assertThat(exchange("GET /ready?verbose=1 HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 503 Service Unavailable")
                .endsWith("not ready: loki loki.example:3100: answers 401 Unauthorized\n");
        String config = exchange("GET /config HTTP/1.1\r\n\r\n");
        assertThat(config).startsWith("HTTP/1.1 200 OK").contains("Content-Type: application/json\r\n")
                .contains("team-a").contains("<secret>").doesNotContain("s3cret");
    }

    @Test
    void contentLengthCountsUtf8BytesAndHeadSendsNoBody() throws Exception {
        start(config(CONFIG.replace("varlogs", "jöb")));
        String get = exchange("GET /config HTTP/1.1\r\n\r\n");
        String body = get.substring(get.indexOf("\r\n\r\n") + 4);
        assertThat(get).contains("Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
        String head = exchange("HEAD /config HTTP/1.1\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n")
                .contains("Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
    }

    /**
     * /config is the same JSON document the Jackson-based endpoint served for the repository's example
     * configs; with relabel_configs Jackson could not serialise the regex at all, now it is its text.
     */
    @Test
    void configJsonEqualsJacksonsForTheExampleConfigs() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String name : List.of("agent.yaml", "promtail-config.yaml")) {
            Object view = ConfigView.of(example(name));
            assertThat(json.readTree(PrettyJson.write(view))).as(name).isEqualTo(json.readTree(json.writeValueAsString(view)));
        }
        JsonNode journal = json.readTree(PrettyJson.write(ConfigView.of(example("promtail-journal.yaml"))));
        assertThat(journal.at("/scrape_configs/0/relabel_configs/0/regex").asText()).contains("(.*)");
        assertThat(json.readTree(PrettyJson.write(Map.of("k", "q\"b\\s\n\u0001<>")))).isEqualTo(
                json.readTree("{\"k\": \"q\\\"b\\\\s\\n\\u0001<>\"}"));
    }

    private static AgentConfig example(String name) throws Exception {
        Path file = Path.of("..", "configs", name);
        return new ConfigLoader(Map.of("HOSTNAME", "h"), () -> "h", true).parseYaml(file.toString(), Files.readAllBytes(file));
    }

    @Test
    void unknownPathsMethodsAndMalformedRequestsGetErrors() throws Exception {
        start(config(CONFIG));
        assertThat(exchange("GET /nope HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found");
        assertThat(exchange("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 405");
        assertThat(exchange("hello\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request");
        String huge = "GET /metrics HTTP/1.1\r\nX-Filler: " + "a".repeat(BlockingHttpServer.MAX_HEAD) + "\r\n\r\n";
        assertThat(exchange(huge)).startsWith("HTTP/1.1 431");
        // the server still answers after each of them
        assertThat(exchange("GET /ready HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void aClientThatSendsNothingIsDroppedAfterTheReadTimeoutAndOthersAreServedThen() throws Exception {
        AgentConfig c = config(CONFIG);
        server = new OpsHttpServer(c, health, new Metrics());
        BlockingHttpServer fast = new BlockingHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Duration.ofMillis(200), server::handle);
        fast.start();
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), fast.address().getPort())) {
            silent.setSoTimeout(10_000);
            // the server gives up on the silent client: its connection is closed without an answer
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            assertThat(exchange(fast.address().getPort(), "GET /ready HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
        } finally {
            fast.stop(Duration.ofSeconds(5));
        }
        server = null;
    }

    @Test
    void stopClosesThePortAndEndsTheThread() throws Exception {
        start(config(CONFIG));
        int port = Integer.parseInt(server.address().substring(server.address().lastIndexOf(':') + 1));
        server.stop(Duration.ofSeconds(5));
        server = null;
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("ops-http") && t.isAlive());
        assertThat(canConnect(port)).isFalse();
    }

    private String exchange(String request) throws IOException {
        String a = server.address();
        return exchange(Integer.parseInt(a.substring(a.lastIndexOf(':') + 1)), request);
    }

    private static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

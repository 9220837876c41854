package tailflow.agent.loki;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.config.ClientConfig;

/** The HTTP client's headers and failure answers against a real HTTP server on 127.0.0.1. */
class LokiHttpTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private volatile byte[] lastBody;
    private final List<Map<String, List<String>>> headers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/loki/api/v1/push", ex -> {
            synchronized (headers) {
                headers.add(Map.copyOf(ex.getRequestHeaders()));
            }
            lastBody = ex.getRequestBody().readAllBytes();
            byte[] msg = "entry too far behind".getBytes();
            ex.sendResponseHeaders(headers.size() == 1 ? 204 : 400, headers.size() == 1 ? -1 : msg.length);
            if (headers.size() > 1) {
                ex.getResponseBody().write(msg);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ClientConfig config(String url, Optional<ClientConfig.BasicAuth> basic, Optional<String> bearer) {
        return new ClientConfig(java.net.URI.create(url), Optional.of("tenant-1"), Duration.ofSeconds(1), 1 << 20,
                Duration.ofSeconds(30), new ClientConfig.BackoffConfig(Duration.ofMillis(500), Duration.ofMinutes(5), 10),
                basic, bearer, Optional.empty(), Map.of(), ClientConfig.PushEncoding.PROTOBUF);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/loki/api/v1/push";
    }

    @Test
    void bearerTokenTenantAndLokisMessage() throws Exception {
        LokiHttp http = new LokiHttp(config(url(), Optional.empty(), Optional.of("tok")));
        assertThat(http.post(new byte[] {1, 2, 3}, 3, "application/x-protobuf", null).status()).isEqualTo(204);
        LokiHttp.Answer rejected = http.post(new byte[] {1}, 1, "application/x-protobuf", null);
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.message()).isEqualTo("entry too far behind");
        assertThat(headers.get(0).get("Authorization")).containsExactly("Bearer tok");
        assertThat(headers.get(0).get("X-scope-orgid")).containsExactly("tenant-1");
    }

    @Test
    void basicAuthPasswordFromFile() throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "from-file\n");
        LokiHttp http = new LokiHttp(config(url(), Optional.of(new ClientConfig.BasicAuth("u", Optional.empty(), Optional.of(pw))),
                Optional.empty()));
        http.post(new byte[] {1}, 1, "application/x-protobuf", null);
        assertThat(headers.get(0).get("Authorization")).containsExactly(
                "Basic " + java.util.Base64.getEncoder().encodeToString("u:from-file".getBytes()));
    }

    @Test
    void refusedConnectionIsNoAnswerNotAnException() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LokiHttp http = new LokiHttp(config("http://127.0.0.1:" + port + "/loki/api/v1/push", Optional.empty(), Optional.empty()));
        assertThat(http.post(new byte[] {1}, 1, "application/x-protobuf", null).status()).isEqualTo(-1);
    }

    @Test
    void largeBodiesArriveIntact() throws Exception {
        byte[] body = new byte[1_000_003];
        new java.util.Random(3).nextBytes(body);
        LokiHttp http = new LokiHttp(config(url(), Optional.empty(), Optional.empty()));
        LokiHttp.Answer answer = http.post(body, 999_999, "application/x-protobuf", null);
        assertThat(answer.status()).as(answer.message()).isEqualTo(204);
        assertThat(lastBody).isEqualTo(java.util.Arrays.copyOf(body, 999_999));
    }
}

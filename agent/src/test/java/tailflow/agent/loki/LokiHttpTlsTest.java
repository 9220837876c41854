package tailflow.agent.loki;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.config.ClientConfig;

/**
 * {@code tls_config} over the agent's own HTTP/1.1 client against the JDK's HTTPS server on
 * 127.0.0.1, with a self-signed EC certificate for {@code loki.test} and 127.0.0.1 made by the
 * openssl command line (a real PKCS#8 PEM key, as users have): the CA file is trusted, the
 * JDK's cacerts alone are not, {@code server_name} replaces the URL's host in the name check,
 * {@code insecure_skip_verify} accepts anything, and a server that wants a client certificate
 * gets the one from {@code cert_file}/{@code key_file}.
 */
class LokiHttpTlsTest {

    @TempDir
    static Path dir;
    static Path cert;
    static Path key;

    private HttpsServer server;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=loki.test",
                "-addext", "subjectAltName=DNS:loki.test,IP:127.0.0.1").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl req").isTrue();
        assertThat(p.exitValue()).as("openssl req (install openssl): " + output).isZero();
    }

    private void startServer(boolean wantClientCertificate) throws Exception {
        // The server's own key and certificate, and (for client authentication) the same certificate as its CA.
        SSLContext ctx = LokiTls.sslContext(new ClientConfig.TlsConfig(Optional.of(cert), Optional.of(cert), Optional.of(key),
                Optional.empty(), false));
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                javax.net.ssl.SSLParameters p = ctx.getDefaultSSLParameters();
                p.setNeedClientAuth(wantClientCertificate);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/loki/api/v1/push", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private int post(ClientConfig.TlsConfig tls) throws Exception {
        ClientConfig config = new ClientConfig(java.net.URI.create("https://127.0.0.1:" + server.getAddress().getPort()
                + "/loki/api/v1/push"), Optional.empty(), Duration.ofSeconds(1), 1 << 20, Duration.ofSeconds(5),
                new ClientConfig.BackoffConfig(Duration.ofMillis(500), Duration.ofMinutes(5), 10), Optional.empty(),
                Optional.empty(), Optional.of(tls), Map.of(), ClientConfig.PushEncoding.PROTOBUF);
        try (LokiHttp http = new LokiHttp(config)) {
            LokiHttp.Answer a = http.post(new byte[] {1, 2, 3}, 3, "application/x-protobuf", null);
            return a.status();
        }
    }

    private static ClientConfig.TlsConfig tls(Optional<Path> ca, Optional<String> serverName, boolean skipVerify, boolean clientCert) {
        return new ClientConfig.TlsConfig(ca, clientCert ? Optional.of(cert) : Optional.empty(),
                clientCert ? Optional.of(key) : Optional.empty(), serverName, skipVerify);
    }

    @Test
    void trustComesFromTheCaFileAndNamesAreChecked() throws Exception {
        startServer(false);
        assertThat(post(tls(Optional.of(cert), Optional.empty(), false, false))).as("CA file, URL host in the SAN").isEqualTo(204);
        assertThat(post(tls(Optional.empty(), Optional.empty(), false, false))).as("cacerts only").isEqualTo(-1);
        assertThat(post(tls(Optional.of(cert), Optional.of("loki.test"), false, false))).as("server_name in the SAN").isEqualTo(204);
        assertThat(post(tls(Optional.of(cert), Optional.of("other.test"), false, false))).as("server_name not in the SAN").isEqualTo(-1);
        assertThat(post(tls(Optional.empty(), Optional.of("other.test"), true, false))).as("insecure_skip_verify").isEqualTo(204);
    }

    @Test
    void theClientCertificateIsPresentedWhenTheServerAsks() throws Exception {
        startServer(true);
        assertThat(post(tls(Optional.of(cert), Optional.empty(), false, true))).as("with cert_file/key_file").isEqualTo(204);
        assertThat(post(tls(Optional.of(cert), Optional.empty(), false, false))).as("without").isEqualTo(-1);
    }
}

package tailflow.agent.loki;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import tailflow.agent.config.ClientConfig;

/**
 * The HTTP side of one Loki client: POSTs a body to the push URL with the tenant header,
 * basic or bearer auth and TLS (CA file, client certificate and PKCS#8 key, server name,
 * skip-verify) from the client config, over one kept-alive HTTP/1.1 connection
 * ({@link Http1Connection}) used by the client's sending thread only. Answers are returned, never
 * thrown: the caller decides what a status means. {@code timeout} bounds the connect and every
 * read of the answer.
 */
public final class LokiHttp implements AutoCloseable {

    /** An answer: HTTP status (or -1 for no answer: refused, timeout, reset) and Loki's message. */
    public record Answer(int status, String message) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final ClientConfig config;
    private final Http1Connection connection;
    /** Request line and the headers every push carries, up to (not including) the per-request ones (tenant, type, length). */
    private final String fixedHead;

    public LokiHttp(ClientConfig config) throws IOException, GeneralSecurityException {
        this.config = config;
        URI url = config.url();
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        if (!https && !"http".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("url must be http:// or https://: " + url);
        }
        String host = url.getHost();
        if (host == null) {
            throw new IllegalArgumentException("url has no host: " + url);
        }
        String connectHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
        SSLSocketFactory tls = null;
        SSLParameters params = null;
        if (https) {
            ClientConfig.TlsConfig t = config.tls().orElse(new ClientConfig.TlsConfig(
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false));
            tls = LokiTls.sslContext(t).getSocketFactory();
            params = new SSLParameters();
            if (!t.insecureSkipVerify()) {
                params.setEndpointIdentificationAlgorithm("HTTPS"); // the URL's host, unless server_name's trust check replaces it
            }
            if (t.serverName().isPresent()) {
                params.setServerNames(List.of(new SNIHostName(t.serverName().get())));
            }
        }
        this.connection = new Http1Connection(connectHost, port, tls, params, config.timeout());
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        StringBuilder head = new StringBuilder(256)
                .append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(url.getPort() >= 0 ? ":" + url.getPort() : "").append("\r\n")
                .append("User-Agent: tailflow-agent\r\n");
        authorization(config).ifPresent(a -> head.append("Authorization: ").append(a).append("\r\n"));
        this.fixedHead = head.toString();
    }

    private static Optional<String> authorization(ClientConfig config) throws IOException {
        if (config.basicAuth().isPresent()) {
            ClientConfig.BasicAuth auth = config.basicAuth().get();
            String password = auth.password().orElse("");
            if (auth.passwordFile().isPresent()) {
                password = Files.readString(auth.passwordFile().get()).strip();
            }
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(
                    (auth.username() + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return config.bearerToken().map(t -> "Bearer " + t);
    }

    public URI url() {
        return config.url();
    }

    /** POSTs body[0, length) with the given content type and optional encoding, as the client's tenant. */
    public Answer post(byte[] body, int length, String contentType, String contentEncoding) throws InterruptedException {
        return post(body, length, contentType, contentEncoding, null);
    }

    /**
     * POSTs body[0, length) as {@code tenant} ({@code X-Scope-OrgID}); null sends the client's
     * {@code tenant_id} (none if it has none), as Promtail's client.getTenantID.
     */
    public Answer post(byte[] body, int length, String contentType, String contentEncoding, String tenant)
            throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        StringBuilder head = new StringBuilder(fixedHead.length() + 128).append(fixedHead)
                .append("Content-Type: ").append(contentType).append("\r\n");
        Optional<String> orgId = tenant != null ? Optional.of(tenant) : config.tenantId();
        if (orgId.isPresent() && !orgId.get().isEmpty()) {
            head.append("X-Scope-OrgID: ").append(orgId.get()).append("\r\n");
        }
        if (contentEncoding != null) {
            head.append("Content-Encoding: ").append(contentEncoding).append("\r\n");
        }
        head.append("Content-Length: ").append(length).append("\r\n\r\n");
        try {
            Http1Connection.Response r = connection.exchange(head.toString().getBytes(StandardCharsets.UTF_8), body, length);
            return new Answer(r.status(), r.body().strip());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        }
    }

    /** Closes the kept-alive connection (the next post connects again). */
    @Override
    public void close() {
        connection.close();
    }
}

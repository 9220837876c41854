package tailflow.agent.loki;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import tailflow.agent.config.ClientConfig;

/**
 * The HTTP side of one Loki client: POSTs a body to the push URL with the tenant header,
 * basic or bearer auth and TLS (CA file, client certificate and PKCS#8 key, server name,
 * skip-verify) from the client config. Answers are returned, never thrown: the caller decides
 * what a status means.
 */
public final class LokiHttp {

    /** An answer: HTTP status (or -1 for no answer: refused, timeout, reset) and Loki's message. */
    public record Answer(int status, String message) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final ClientConfig config;
    private final HttpClient http;
    private final String authorization;

    public LokiHttp(ClientConfig config) throws IOException, GeneralSecurityException {
        this.config = config;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout());
        if (config.tls().isPresent() || "https".equalsIgnoreCase(config.url().getScheme())) {
            ClientConfig.TlsConfig tls = config.tls().orElse(new ClientConfig.TlsConfig(
                    java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                    java.util.Optional.empty(), false));
            b.sslContext(sslContext(tls));
            SSLParameters params = new SSLParameters();
            tls.serverName().ifPresent(name -> params.setServerNames(List.of(new SNIHostName(name))));
            b.sslParameters(params);
        }
        this.http = b.build();
        if (config.basicAuth().isPresent()) {
            ClientConfig.BasicAuth auth = config.basicAuth().get();
            String password = auth.password().orElse("");
            if (auth.passwordFile().isPresent()) {
                password = Files.readString(auth.passwordFile().get()).strip();
            }
            authorization = "Basic " + Base64.getEncoder().encodeToString(
                    (auth.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
        } else {
            authorization = config.bearerToken().map(t -> "Bearer " + t).orElse(null);
        }
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
        HttpRequest.Builder rb = HttpRequest.newBuilder(config.url())
                .timeout(config.timeout())
                .header("Content-Type", contentType)
                .header("User-Agent", "tailflow-agent")
                .POST(wrapping(body, length));
        if (contentEncoding != null) {
            rb.header("Content-Encoding", contentEncoding);
        }
        Optional<String> orgId = tenant != null ? Optional.of(tenant) : config.tenantId();
        orgId.filter(t -> !t.isEmpty()).ifPresent(t -> rb.header("X-Scope-OrgID", t));
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        try {
            HttpResponse<InputStream> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            String message;
            try (InputStream in = r.body()) {
                message = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
            }
            return new Answer(r.statusCode(), message);
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        }
    }

    /**
     * The body as 64 KiB slices of the caller's array. The JDK's {@code ofByteArray} copies the
     * whole body into fresh buffers on every request (a MiB of garbage per push on a 64 MiB heap);
     * the caller's array is not touched until {@link #post} returns, so wrapping is safe.
     */
    static HttpRequest.BodyPublisher wrapping(byte[] body, int length) {
        return HttpRequest.BodyPublishers.fromPublisher(subscriber -> subscriber.onSubscribe(new java.util.concurrent.Flow.Subscription() {
            private int position;
            private boolean done;

            @Override
            public synchronized void request(long n) {
                for (long i = 0; i < n && !done; i++) {
                    if (position >= length) {
                        break;
                    }
                    int chunk = Math.min(64 * 1024, length - position);
                    java.nio.ByteBuffer slice = java.nio.ByteBuffer.wrap(body, position, chunk).slice();
                    position += chunk;
                    subscriber.onNext(slice);
                }
                if (position >= length && !done) {
                    done = true;
                    subscriber.onComplete();
                }
            }

            @Override
            public synchronized void cancel() {
                done = true;
            }
        }), length);
    }

    private static SSLContext sslContext(ClientConfig.TlsConfig tls) throws IOException, GeneralSecurityException {
        TrustManager[] trust;
        if (tls.insecureSkipVerify()) {
            trust = new TrustManager[] {new TrustAll()};
        } else if (tls.caFile().isPresent()) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : readCertificates(tls.caFile().get())) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            trust = tmf.getTrustManagers();
        } else {
            trust = null;
        }
        if (trust != null && tls.serverName().isPresent() && !tls.insecureSkipVerify()) {
            trust = new TrustManager[] {new ServerNameTrust((X509TrustManager) trust[0], tls.serverName().get())};
        }
        KeyManagerFactory kmf = null;
        if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
            List<Certificate> chain = readCertificates(tls.certFile().get());
            PrivateKey key = readKey(tls.keyFile().get());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), trust, null);
        return ctx;
    }

    private static List<Certificate> readCertificates(Path file) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IOException(file + ": no PEM certificate found");
            }
            return new ArrayList<>(certs);
        }
    }

    /** Reads a PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}), RSA or EC. */
    private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file);
        if (!pem.contains("BEGIN PRIVATE KEY")) {
            throw new IOException(file + ": key must be PKCS#8 PEM (BEGIN PRIVATE KEY); convert with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem'");
        }
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": unsupported private key algorithm");
    }

    /** {@code insecure_skip_verify}: accepts any server certificate and name. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}
        @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}
        @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Validates the chain with the CA, then checks the certificate names against {@code server_name}, not the URL host. */
    private static final class ServerNameTrust extends X509ExtendedTrustManager {
        private final X509TrustManager delegate;
        private final String serverName;

        ServerNameTrust(X509TrustManager delegate, String serverName) {
            this.delegate = delegate;
            this.serverName = serverName.toLowerCase(Locale.ROOT);
        }

        private void check(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
            Collection<List<?>> sans = chain[0].getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0)) && matches(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT))) {
                        return;
                    }
                }
            }
            throw new CertificateException("server certificate does not name " + serverName);
        }

        private boolean matches(String name) {
            if (name.startsWith("*.")) {
                int dot = serverName.indexOf('.');
                return dot > 0 && serverName.substring(dot).equals(name.substring(1));
            }
            return name.equals(serverName);
        }

        @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
            delegate.checkClientTrusted(c, a);
        }
        @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
            check(c, a);
        }
        @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
            delegate.checkClientTrusted(c, a);
        }
        @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
            check(c, a);
        }
        @Override public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
            delegate.checkClientTrusted(c, a);
        }
        @Override public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {
            check(c, a);
        }
        @Override public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}

package tailflow.agent.loki;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import tailflow.agent.config.ClientConfig;

/**
 * The TLS side of a Loki client's {@code tls_config}: trust (the CA file, or the JDK's cacerts, or
 * anything with {@code insecure_skip_verify}), the certificate names checked against
 * {@code server_name} when it is set, and the client certificate with its PKCS#8 key. Built only
 * for https URLs or an explicit {@code tls_config}: a plain http:// client loads none of this.
 */
final class LokiTls {

    private LokiTls() {}

    static SSLContext sslContext(ClientConfig.TlsConfig tls) throws IOException, GeneralSecurityException {
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

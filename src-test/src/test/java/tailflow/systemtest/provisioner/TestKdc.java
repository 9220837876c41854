package tailflow.systemtest.provisioner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tailflow.systemtest.support.Command;
import tailflow.systemtest.support.CommandResult;
import tailflow.systemtest.support.FreePort;
import tailflow.systemtest.support.Wait;

/**
 * A real MIT KDC (Debian's krb5kdc) for one test class: its database, stash, config and log in
 * {@code dir}, listening on one port at the given addresses (loopback for the test machine, the
 * hosts' gateways for the hosts). Nothing is written to /etc: every tool gets
 * {@code KRB5_CONFIG}/{@code KRB5_KDC_PROFILE} pointing into {@code dir}. krb5kdc runs in the
 * foreground as this JVM's child and is stopped by {@link #close()} (or the shutdown hook if the
 * run is interrupted); a KDC left by a killed run is found through its pid file and stopped first.
 */
final class TestKdc implements AutoCloseable {

    /** Fixed, so a later run finds what a killed one left. */
    private static final Path PID_FILE = Path.of("/var/tmp/tailflow-test-hosts/krb-it-kdc.pid");

    private final Path dir;
    private final String realm;
    private final int port;
    private final Process kdc;
    private final Thread shutdownHook;

    private TestKdc(Path dir, String realm, int port, Process kdc) {
        this.dir = dir;
        this.realm = realm;
        this.port = port;
        this.kdc = kdc;
        this.shutdownHook = new Thread(this::stop, "tailflow-test-kdc-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Creates realm {@code realm} in {@code dir} and starts its KDC on {@code addresses} (loopback first). */
    static TestKdc start(Path dir, String realm, String domain, List<String> addresses) throws IOException {
        stopLeftover();
        int port = FreePort.pick();
        List<String> listen = addresses.stream().map(a -> a + ":" + port).toList();
        Files.writeString(dir.resolve("kdc.conf"), """
                [kdcdefaults]
                 kdc_listen = %1$s
                 kdc_tcp_listen = %1$s
                [realms]
                 %2$s = {
                  database_name = %3$s/principal
                  key_stash_file = %3$s/stash
                  acl_file = %3$s/kadm5.acl
                  max_life = 1h
                  supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
                 }
                [logging]
                 kdc = FILE:%3$s/kdc.log
                """.formatted(String.join(",", listen), realm, dir));
        Files.writeString(dir.resolve("kadm5.acl"), "");
        Files.writeString(dir.resolve("krb5.conf"), clientConfig(realm, domain, addresses.get(0) + ":" + port, true));
        TestKdc.tool(dir, "kdb5_util", "create", "-s", "-r", realm, "-P", "tailflow-master").requireOk();
        Process p = new ProcessBuilder("env", "KRB5_CONFIG=" + dir.resolve("krb5.conf"),
                "KRB5_KDC_PROFILE=" + dir.resolve("kdc.conf"), "krb5kdc", "-n", "-r", realm)
                .redirectErrorStream(true).redirectOutput(dir.resolve("krb5kdc.out").toFile()).start();
        Files.createDirectories(PID_FILE.getParent());
        Files.writeString(PID_FILE, p.pid() + "\n");
        TestKdc kdc = new TestKdc(dir, realm, port, p);
        try {
            Wait.upTo(Duration.ofSeconds(20), "krb5kdc listening on 127.0.0.1:" + port).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("krb5kdc exited: " + Files.readString(dir.resolve("krb5kdc.out"))
                            + (Files.exists(dir.resolve("kdc.log")) ? Files.readString(dir.resolve("kdc.log")) : ""));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(addresses.get(0), port), 500);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            return kdc;
        } catch (RuntimeException | Error e) {
            kdc.close();
            throw e;
        }
    }

    /**
     * A krb5.conf for a client of this realm whose KDC is at {@code kdc} (host:port). No DNS for
     * the realm: its KDC and its domain are written down. {@code canonicalize}: MIT's default
     * naming of hosts (forward and reverse lookups); else names are taken as given.
     */
    static String clientConfig(String realm, String domain, String kdc, boolean canonicalize) {
        return """
                [libdefaults]
                 default_realm = %1$s
                 dns_lookup_kdc = false
                 dns_lookup_realm = false
                 udp_preference_limit = 1%4$s
                [realms]
                 %1$s = {
                  kdc = %3$s
                 }
                [domain_realm]
                 .%2$s = %1$s
                 %2$s = %1$s
                """.formatted(realm, domain, kdc, canonicalize ? "" : "\n rdns = false\n dns_canonicalize_hostname = false");
    }

    int port() {
        return port;
    }

    String realm() {
        return realm;
    }

    /** The krb5.conf of the test machine (KDC on loopback). */
    Path krb5Conf() {
        return dir.resolve("krb5.conf");
    }

    /** Adds {@code principal} with a random key and returns a keytab holding it. */
    byte[] keytab(String principal) throws IOException {
        Path keytab = dir.resolve(principal.replace('/', '_') + ".keytab");
        admin("addprinc -randkey " + principal, "Principal \"" + principal + "@" + realm + "\" created");
        admin("ktadd -k " + keytab + " " + principal, "added to keytab");
        return Files.readAllBytes(keytab);
    }

    /** {@code kinit} from {@code keytab} into {@code cache} (FILE:), for {@code lifetime} (kinit's -l syntax). */
    void kinit(String principal, byte[] keytab, Path cache, String lifetime) throws IOException {
        Path file = dir.resolve("kinit-" + principal.replace('/', '_') + ".keytab");
        Files.write(file, keytab);
        tool(dir, "kinit", "-l", lifetime, "-k", "-t", file.toString(), "-c", "FILE:" + cache, principal).requireOk();
    }

    /** {@code kdestroy}: the cache is gone, as after a user's logout. */
    void kdestroy(Path cache) {
        tool(dir, "kdestroy", "-c", "FILE:" + cache).requireOk();
        if (Files.exists(cache)) {
            throw new IllegalStateException("kdestroy left " + cache);
        }
    }

    /** {@code klist -s}: the cache holds a ticket that has not expired. */
    boolean hasValidTicket(Path cache) {
        return tool(dir, "klist", "-s", "-c", "FILE:" + cache).ok();
    }

    /** kadmin.local exits 0 even when the query failed: its answer must say {@code expected}. */
    private void admin(String query, String expected) {
        CommandResult r = tool(dir, "kadmin.local", "-r", realm, "-q", query).requireOk();
        if (!r.output().contains(expected)) {
            throw new IllegalStateException("kadmin.local -q '" + query + "' did not say '" + expected + "': " + r.output());
        }
    }

    private static CommandResult tool(Path dir, String... argv) {
        List<String> all = new ArrayList<>(List.of("env", "KRB5_CONFIG=" + dir.resolve("krb5.conf"),
                "KRB5_KDC_PROFILE=" + dir.resolve("kdc.conf")));
        all.addAll(List.of(argv));
        return Command.of(all).timeout(Duration.ofSeconds(30)).run();
    }

    /** The KDC's log, for failure messages. */
    String log() {
        try {
            return Files.exists(dir.resolve("kdc.log")) ? Files.readString(dir.resolve("kdc.log")) : "(no kdc.log)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs stop() itself
        }
    }

    private void stop() {
        kdc.destroy();
        try {
            if (!kdc.waitFor(10, TimeUnit.SECONDS)) {
                kdc.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(PID_FILE);
        } catch (InterruptedException e) {
            kdc.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A krb5kdc a killed run left (its pid file names it, its command line confirms it): stopped. */
    private static void stopLeftover() throws IOException {
        if (!Files.exists(PID_FILE)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(PID_FILE).strip());
        ProcessHandle.of(pid).filter(h -> h.info().command().map(c -> c.endsWith("krb5kdc")).orElse(false))
                .ifPresent(h -> {
                    h.destroy();
                    h.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                });
        Files.deleteIfExists(PID_FILE);
    }
}

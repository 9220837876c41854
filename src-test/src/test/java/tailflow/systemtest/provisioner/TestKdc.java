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

    /**
     * Creates the realms in {@code dir} (the first is the test's; a second one is a realm the
     * hosts do not trust) and starts their KDC on {@code addresses} (loopback first).
     */
    static TestKdc start(Path dir, List<String> realms, String domain, List<String> addresses) throws IOException {
        stopLeftover();
        String realm = realms.get(0);
        int port = FreePort.pick();
        List<String> listen = addresses.stream().map(a -> a + ":" + port).toList();
        StringBuilder realmBlocks = new StringBuilder();
        for (String r : realms) {
            realmBlocks.append("""
                     %1$s = {
                      database_name = %2$s/principal-%1$s
                      key_stash_file = %2$s/stash-%1$s
                      acl_file = %2$s/kadm5.acl
                      max_life = 1h
                      supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
                     }
                    """.formatted(r, dir));
        }
        Files.writeString(dir.resolve("kdc.conf"), """
                [kdcdefaults]
                 kdc_listen = %1$s
                 kdc_tcp_listen = %1$s
                [realms]
                %2$s[logging]
                 kdc = FILE:%3$s/kdc.log
                """.formatted(String.join(",", listen), realmBlocks, dir));
        Files.writeString(dir.resolve("kadm5.acl"), "");
        Files.writeString(dir.resolve("krb5.conf"), clientConfig(realms, domain, addresses.get(0) + ":" + port, true));
        List<String> kdcArgv = new ArrayList<>(List.of("env", "KRB5_CONFIG=" + dir.resolve("krb5.conf"),
                "KRB5_KDC_PROFILE=" + dir.resolve("kdc.conf"), "krb5kdc", "-n"));
        for (String r : realms) {
            TestKdc.tool(dir, "kdb5_util", "create", "-s", "-r", r, "-P", "tailflow-master").requireOk();
            kdcArgv.addAll(List.of("-r", r));
        }
        Process p = new ProcessBuilder(kdcArgv)
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
     * A krb5.conf for a client of these realms (the first is the default; {@code domain} is in
     * it) whose KDC is at {@code kdc} (host:port). No DNS for realms: KDCs and the domain are
     * written down. {@code canonicalize}: MIT's default naming of hosts (forward and reverse
     * lookups); else names are taken as given.
     */
    static String clientConfig(List<String> realms, String domain, String kdc, boolean canonicalize) {
        StringBuilder text = new StringBuilder("""
                [libdefaults]
                 default_realm = %1$s
                 dns_lookup_kdc = false
                 dns_lookup_realm = false
                 udp_preference_limit = 1
                """.formatted(realms.get(0)));
        if (!canonicalize) {
            text.append(" rdns = false\n dns_canonicalize_hostname = false\n");
        }
        text.append("[realms]\n");
        realms.forEach(r -> text.append(" ").append(r).append(" = {\n  kdc = ").append(kdc).append("\n }\n"));
        return text.append("[domain_realm]\n .").append(domain).append(" = ").append(realms.get(0)).append("\n ")
                .append(domain).append(" = ").append(realms.get(0)).append("\n").toString();
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

    /** Adds {@code principal} to the test's realm with a random key and returns a keytab holding it. */
    byte[] keytab(String principal) throws IOException {
        return keytab(principal, realm);
    }

    /** Adds {@code principal} to {@code inRealm} with a random key and returns a keytab holding it. */
    byte[] keytab(String principal, String inRealm) throws IOException {
        Path keytab = dir.resolve(principal.replace('/', '_') + "-" + inRealm + ".keytab");
        admin(inRealm, "addprinc -randkey " + principal, "Principal \"" + principal + "@" + inRealm + "\" created");
        admin(inRealm, "ktadd -k " + keytab + " " + principal, "added to keytab");
        return Files.readAllBytes(keytab);
    }

    /** {@code kinit} from {@code keytab} into {@code cache} (FILE:), for {@code lifetime} (kinit's -l syntax). */
    void kinit(String principal, byte[] keytab, Path cache, String lifetime) throws IOException {
        Path file = dir.resolve("kinit-" + principal.replace('/', '_') + ".keytab");
        Files.write(file, keytab);
        tool(dir, "kinit", "-l", lifetime, "-k", "-t", file.toString(), "-c", "FILE:" + cache, principal).requireOk();
    }

    /**
     * As {@link #kinit}, writing the credential cache in file format {@code version} (3 or 4: MIT's
     * {@code ccache_type}; 4 is the default, 3 what older or other Kerberos libraries write).
     */
    void kinit(String principal, byte[] keytab, Path cache, String lifetime, int version) throws IOException {
        Path conf = dir.resolve("krb5-ccache-v" + version + ".conf");
        Files.writeString(conf, Files.readString(dir.resolve("krb5.conf"))
                .replace("[libdefaults]\n", "[libdefaults]\n ccache_type = " + version + "\n"));
        Path file = dir.resolve("kinit-" + principal.replace('/', '_') + ".keytab");
        Files.write(file, keytab);
        Command.of(List.of("env", "KRB5_CONFIG=" + conf, "kinit", "-l", lifetime, "-k", "-t", file.toString(),
                "-c", "FILE:" + cache, principal)).timeout(Duration.ofSeconds(30)).run().requireOk();
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
    private void admin(String inRealm, String query, String expected) {
        CommandResult r = tool(dir, "kadmin.local", "-r", inRealm, "-q", query).requireOk();
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

package tailflow.systemtest.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tailflow.systemtest.hosts.HostImage;
import tailflow.systemtest.hosts.TestHost;
import tailflow.systemtest.hosts.TestHosts;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.Machine;
import tailflow.systemtest.support.Need;
import tailflow.systemtest.support.Wait;

/**
 * Kerberos logins as on a FreeIPA-enrolled lab fleet: a real MIT KDC (its own realm, state in a
 * temp dir, listening on loopback and the hosts' gateways), two nspawn hosts carrying their FQDN,
 * a host keytab in /etc/krb5.keytab and sshd with {@code GSSAPIAuthentication yes}, a user
 * {@code alice} with a sudo rule and no key. The provisioner gets the ticket {@code kinit} put in
 * the test's cache (KRB5CCNAME) and applies with it alone; GSSAPIAuthentication comes from
 * {@code ansible_ssh_common_args} for one host (reached by {@code ansible_host=<address>}, so its
 * service ticket is for the name the address resolves back to) and from ~/.ssh/config for the
 * other (reached by its FQDN). Names and addresses resolve for the provisioner through
 * {@code jdk.net.hosts.file} (this machine's /etc/hosts is not touched), standing in for DNS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KerberosLoginIT {

    private static final String REALM = "TAILFLOW.TEST";
    private static final String DOMAIN = "krb.test";
    private static final String USER = "alice";
    /** A realm the hosts have no trust with: its tickets are no good for them. */
    private static final String OTHER_REALM = "ELSEWHERE.TEST";

    private Path work;
    private Path home;
    private TestHosts hosts;
    private TestKdc kdc;
    private byte[] userKeytab;
    private Path inventory;
    private Path knownHosts;
    private final List<LokiReceiver> receivers = new ArrayList<>();

    @BeforeAll
    void setUp() throws IOException {
        Machine.require(Need.MIT_KDC);
        work = Files.createTempDirectory("kerberos-it");
        home = Files.createDirectories(work.resolve("home"));
        hosts = TestHosts.boot(List.of(1, 2));
        List<String> listen = new ArrayList<>(List.of("127.0.0.1"));
        hosts.hosts().forEach(h -> listen.add(h.gateway()));
        kdc = TestKdc.start(Files.createDirectories(work.resolve("kdc")), List.of(REALM, OTHER_REALM), DOMAIN, listen);
        userKeytab = kdc.keytab(USER);
        StringBuilder resolve = new StringBuilder();
        StringBuilder known = new StringBuilder();
        StringBuilder ini = new StringBuilder("[agents]\n");
        for (TestHost h : hosts.hosts()) {
            enrol(h);
            resolve.append(h.address()).append(' ').append(fqdn(h)).append('\n');
            known.append(fqdn(h)).append(h.knownHostsLine().substring(h.address().length())).append('\n')
                    .append(h.knownHostsLine()).append('\n');
            LokiReceiver r = LokiReceiver.start(h.gateway(), 0);
            receivers.add(r);
            ini.append(fqdn(h)).append(" tailflow_loki_url=").append(r.pushUrl());
            if (h.index() == 1) {
                // connected to by address: the ticket is for the name the address resolves back to, as with ssh
                ini.append(" ansible_host=").append(h.address()).append(" ansible_ssh_common_args='-o GSSAPIAuthentication=yes'");
            }
            ini.append('\n');
        }
        ini.append("[agents:vars]\nansible_user=").append(USER).append('\n');
        Files.writeString(work.resolve("hosts"), resolve);
        knownHosts = Files.writeString(work.resolve("known_hosts"), known);
        inventory = Files.writeString(work.resolve("krb.ini"), ini);
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(ssh.resolve("config"), "Host " + fqdn(hosts.get(1)) + "\n  GSSAPIAuthentication yes\n");
    }

    /** What ipa-client-install leaves on a host, reduced to what sshd and sudo need. */
    private void enrol(TestHost h) throws IOException {
        String fqdn = fqdn(h);
        h.run("hostname " + fqdn).requireOk();
        h.putFile("/etc/hosts", "127.0.0.1 localhost\n" + h.address() + " " + fqdn + " " + h.name() + "\n", "644");
        // sshd checks tickets against host/<its hostname>, taken as given
        h.putFile("/etc/krb5.conf", TestKdc.clientConfig(List.of(REALM), DOMAIN, h.gateway() + ":" + kdc.port(), false), "644");
        h.putFile("/etc/krb5.keytab", kdc.keytab("host/" + fqdn), "600");
        h.putFile("/etc/ssh/sshd_config.d/gssapi.conf", "GSSAPIAuthentication yes\n", "644");
        h.putFile("/etc/sudoers.d/" + USER, USER + " ALL=(ALL:ALL) NOPASSWD: ALL\n", "440");
        // the image's key logs alice in too: proves keys are still tried when Kerberos cannot be
        String pub = Files.readString(Path.of(h.privateKey() + ".pub")).strip();
        h.run("useradd -m -s /bin/sh " + USER + " && install -d -m 700 -o " + USER + " ~" + USER + "/.ssh"
                + " && echo '" + pub + "' > ~" + USER + "/.ssh/authorized_keys && chown " + USER + " ~" + USER
                + "/.ssh/authorized_keys").requireOk();
        // the KDC is reachable from the host too (its krb5.conf points at the gateway)
        h.run("timeout 5 bash -c '</dev/tcp/" + h.gateway() + "/" + kdc.port() + "'").requireOk();
        // sshd re-executes itself on SIGHUP: its port is closed for a moment
        h.run("systemctl reload ssh").requireOk();
        Wait.upTo(Duration.ofSeconds(30), "sshd on " + h + " back after its reload").every(Duration.ofMillis(200))
                .until(() -> h.run("true", Duration.ofSeconds(10)).ok());
    }

    @AfterAll
    void tearDown() throws IOException {
        try (TestKdc k = kdc; TestHosts h = hosts) {
            // closed in reverse: the hosts first, while their agents can still flush to the receivers
            // (an agent whose Loki is gone keeps retrying past nspawn's stop grace), then the KDC
        } finally {
            receivers.forEach(LokiReceiver::close);
            if (work != null) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static String fqdn(TestHost h) {
        return h.name() + "." + DOMAIN;
    }

    /** How the provisioner names the login in messages: user@ the address or name it connects to. */
    private static String login(TestHost h) {
        return USER + "@" + (h.index() == 1 ? h.address() : fqdn(h));
    }

    private ProvisionerRun provisioner(Path cache, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("-i", inventory.toString(), "--known-hosts", knownHosts.toString(), "--timeout", "5",
                "--retries", "1"));
        if (args[0].equals("apply")) {
            argv.addAll(List.of("--source", HostImage.checkoutRoot().toString()));
        }
        return ProvisionerRun.run(home, argv, Map.of("KRB5CCNAME", "FILE:" + cache,
                "KRB5_CONFIG", kdc.krb5Conf().toString(),
                "TAILFLOW_JAVA_OPTS", "-Duser.home=" + home + " -Djdk.net.hosts.file=" + work.resolve("hosts")));
    }

    @Test
    @Order(1)
    void appliesWithOnlyTheKerberosTicket() throws Exception {
        Path cache = work.resolve("cc-alice");
        kdc.kinit(USER, userKeytab, cache, "1h");
        ProvisionerRun run = provisioner(cache, "apply", "-b");
        assertThat(run.exitCode()).as(run.output() + "\nKDC log:\n" + kdc.log()).isZero();
        for (TestHost h : hosts.hosts()) {
            assertThat(run.output()).contains("[" + fqdn(h) + "] verify: ok");
            assertThat(h.run("systemctl is-active tailflow-agent").stdout().strip()).isEqualTo("active");
            // sshd says how alice came in: her ticket, not the key she also has
            String sshd = h.run("journalctl -u ssh --no-pager -o cat").requireOk().stdout();
            assertThat(sshd).contains("Accepted gssapi-with-mic for " + USER).doesNotContain("Accepted publickey for " + USER);
        }
        // the KDC issued the service tickets the provisioner asked for
        assertThat(kdc.log()).contains("host/" + fqdn(hosts.get(0)) + "@" + REALM).contains("host/" + fqdn(hosts.get(1)) + "@" + REALM);
    }

    @Test
    @Order(2)
    void noTicketIsAClearErrorPerHost() throws Exception {
        Path none = work.resolve("cc-destroyed");
        kdc.kinit(USER, userKeytab, none, "1h");
        kdc.kdestroy(none);
        ProvisionerRun run = provisioner(none, "apply", "-b");
        assertThat(run.exitCode()).as(run.output()).isEqualTo(4);
        for (TestHost h : hosts.hosts()) {
            assertThat(run.output()).contains("no Kerberos ticket (run kinit) for gssapi-with-mic on " + login(h)
                    + ": credential cache FILE:" + none + " does not exist");
        }
    }

    @Test
    @Order(3)
    void anExpiredTicketIsAClearErrorAndKeysAreStillTried() throws Exception {
        // Both credential cache formats kinit writes (3 and 4) are read for whose ticket it is and its end.
        Path cache = work.resolve("cc-short");
        Path cacheV3 = work.resolve("cc-short-v3");
        kdc.kinit(USER, userKeytab, cache, "3s");
        kdc.kinit(USER, userKeytab, cacheV3, "3s", 3);
        assertThat(Files.readAllBytes(cacheV3)).as("file format 3 (0x0503)").startsWith(0x05, 0x03);
        assertThat(Files.readAllBytes(cache)).as("file format 4 (0x0504)").startsWith(0x05, 0x04);
        Wait.upTo(Duration.ofSeconds(30), "the 3 s tickets to expire").every(Duration.ofMillis(500))
                .until(() -> !kdc.hasValidTicket(cache) && !kdc.hasValidTicket(cacheV3));
        for (Path c : List.of(cache, cacheV3)) {
            ProvisionerRun expired = provisioner(c, "facts");
            assertThat(expired.exitCode()).as(expired.output()).isEqualTo(4);
            assertThat(expired.output()).contains("no valid Kerberos ticket (run kinit) for gssapi-with-mic on " + login(hosts.get(0))
                    + ": the ticket of " + USER + "@" + REALM + " in FILE:" + c + " expired at ");
        }
        byte[] whole = Files.readAllBytes(cache);
        Path truncated = Files.write(work.resolve("cc-truncated"), java.util.Arrays.copyOf(whole, whole.length - 7));
        ProvisionerRun cut = provisioner(truncated, "facts");
        assertThat(cut.output()).contains("the ticket in FILE:" + truncated + " is expired or unreadable");
        // as ssh: gssapi-with-mic cannot be used, the key that follows it in ssh's order logs in
        ProvisionerRun withKey = provisioner(cache, "facts", "--private-key", hosts.get(0).privateKey().toString());
        assertThat(withKey.exitCode()).as(withKey.output()).isZero();
        assertThat(withKey.output()).contains(fqdn(hosts.get(0))).contains(fqdn(hosts.get(1)));
    }

    /** A valid ticket, but of a realm the hosts' realm does not trust: the host's error names whose ticket it is. */
    @Test
    @Order(4)
    void aTicketOfAnotherRealmIsAClearErrorPerHost() throws Exception {
        Path cache = work.resolve("cc-elsewhere");
        kdc.kinit(USER + "@" + OTHER_REALM, kdc.keytab(USER, OTHER_REALM), cache, "1h");
        ProvisionerRun run = provisioner(cache, "facts");
        assertThat(run.exitCode()).as(run.output()).isEqualTo(4);
        for (TestHost h : hosts.hosts()) {
            assertThat(run.output()).contains("login as " + USER + " on " + login(h) + " refused (gssapi-with-mic: Kerberos could not"
                    + " start a context for host/" + fqdn(h) + "@" + REALM + " with the ticket of " + USER + "@" + OTHER_REALM + ": ");
        }
    }

    @Test
    @Order(40)
    void aHostWithoutItsKeytabRefusesTheTicketAndTheKeyIsTriedNext() throws Exception {
        TestHost h = hosts.get(1);
        Path cache = work.resolve("cc-alice");
        h.run("mv /etc/krb5.keytab /etc/krb5.keytab.off").requireOk();
        try {
            ProvisionerRun refused = provisioner(cache, "facts", "--limit", fqdn(h));
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(4);
            assertThat(refused.output()).contains("login as " + USER + " on " + USER + "@" + fqdn(h) + " refused (gssapi-with-mic: the server"
                    + " did not accept the Kerberos ticket of " + USER + "@" + REALM + " for host/" + fqdn(h) + "@" + REALM);
            ProvisionerRun withKey = provisioner(cache, "facts", "--limit", fqdn(h), "--private-key", h.privateKey().toString());
            assertThat(withKey.exitCode()).as(withKey.output()).isZero();
        } finally {
            h.run("mv /etc/krb5.keytab.off /etc/krb5.keytab").requireOk();
        }
    }

    /**
     * A host only a jump host reaches (a second sshd on tfh1's loopback), both hops by Kerberos:
     * the jump host by ~/.ssh/config's GSSAPIAuthentication, the inner one by the inventory's,
     * with GSSAPIServerIdentity naming its principal (127.0.0.1 has no principal of its own).
     */
    @Test
    @Order(50)
    void throughAJumpHostBothHopsLogInWithTheTicket() throws Exception {
        TestHost h = hosts.get(0);
        Path cache = work.resolve("cc-alice");
        // a unit of the host's systemd, so the host's shutdown stops it like any service
        h.run("mkdir -p /run/sshd && systemd-run --unit=sshd-2222 /usr/sbin/sshd -D -p 2222 -o ListenAddress=127.0.0.1"
                + " -o PidFile=none").requireOk();
        Wait.upTo(Duration.ofSeconds(20), "the second sshd on " + h + " listening").every(Duration.ofMillis(200))
                .until(() -> h.run("timeout 2 bash -c '</dev/tcp/127.0.0.1/2222'").ok());
        Path inv = Files.writeString(work.resolve("jump.ini"), "inner ansible_host=127.0.0.1 ansible_port=2222 ansible_user=" + USER
                + " ansible_ssh_common_args='-o ProxyJump=" + USER + "@" + fqdn(h) + " -o GSSAPIAuthentication=yes"
                + " -o GSSAPIServerIdentity=" + fqdn(h) + "'\n");
        Path config = home.resolve(".ssh/config");
        String before = Files.readString(config);
        Files.writeString(config, before + "Host " + fqdn(h) + "\n  GSSAPIAuthentication yes\n");
        Files.writeString(knownHosts, Files.readString(knownHosts) + "[127.0.0.1]:2222" + h.knownHostsLine().substring(h.address().length()) + "\n");
        try {
            ProvisionerRun run = ProvisionerRun.run(home, List.of("facts", "-i", inv.toString(), "--known-hosts", knownHosts.toString(),
                    "--timeout", "5", "--retries", "1"), Map.of("KRB5CCNAME", "FILE:" + cache, "KRB5_CONFIG", kdc.krb5Conf().toString(),
                    "TAILFLOW_JAVA_OPTS", "-Duser.home=" + home + " -Djdk.net.hosts.file=" + work.resolve("hosts")));
            assertThat(run.exitCode()).as(run.output() + "\nKDC log:\n" + kdc.log()).isZero();
            assertThat(run.output()).containsPattern("inner +ok +" + fqdn(h));
            String sshd = h.run("journalctl --no-pager -o cat _COMM=sshd").requireOk().stdout();
            assertThat(sshd).as("the inner sshd let alice in by her ticket").containsPattern("Accepted gssapi-with-mic for " + USER
                    + " from 127\\.0\\.0\\.1 port \\d+ ssh2");
        } finally {
            Files.writeString(config, before);
            h.run("systemctl stop sshd-2222").requireOk();
        }
    }
}

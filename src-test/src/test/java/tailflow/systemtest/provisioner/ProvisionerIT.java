package tailflow.systemtest.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import tailflow.systemtest.support.Wait;

/**
 * {@code provisioner apply} against three real hosts (systemd + sshd in nspawn), each with its
 * own Loki-compatible receiver on its gateway address. The tests share the booted hosts and run
 * in order: they walk one fleet through refusal, check mode, install, no-op, config change,
 * failed release and rollback, an unreachable host, status and uninstall.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProvisionerIT {

    /** Host numbers (a shared machine gives each user its own: -Dtailflow.it.provisionerHosts=45,46,47). */
    private static final List<Integer> HOSTS = java.util.Arrays.stream(
            System.getProperty("tailflow.it.provisionerHosts", "11,12,13").split(",")).map(String::strip).map(Integer::valueOf).toList();
    private static final String H1 = "tfh" + HOSTS.get(0);
    private static final String H2 = "tfh" + HOSTS.get(1);
    private static final String H3 = "tfh" + HOSTS.get(2);
    /** The first host's network (10.200.N.0/24: .1 the host side, .2 the container). */
    private static final String NET1 = "10.200." + HOSTS.get(0) + ".";

    private TestHosts hosts;
    private final List<LokiReceiver> receivers = new ArrayList<>();
    private Path work;
    private Path home;
    private Path inventory;

    @BeforeAll
    void bootFleet() throws IOException {
        hosts = TestHosts.boot(HOSTS);
        work = Files.createTempDirectory("provisioner-it");
        home = Files.createDirectories(work.resolve("home"));
        StringBuilder ini = new StringBuilder("# written by ProvisionerIT\n[agents]\n");
        for (TestHost h : hosts.hosts()) {
            LokiReceiver r = LokiReceiver.start(h.gateway(), 0);
            receivers.add(r);
            ini.append(h.name()).append(" ansible_host=").append(h.address())
                    .append(" tailflow_loki_url=").append(r.pushUrl()).append('\n');
        }
        ini.append("\n[agents:vars]\nansible_user=root\nansible_ssh_private_key_file=")
                .append(hosts.get(0).privateKey()).append("\ntailflow_labels={'env': 'it'}\n");
        inventory = work.resolve("lab.ini");
        Files.writeString(inventory, ini);
    }

    @AfterAll
    void teardown() throws IOException {
        receivers.forEach(LokiReceiver::close);
        try {
            if (hosts != null) {
                hosts.close();
            }
        } finally {
            if (work != null) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private ProvisionerRun provisioner(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("-i", inventory.toString()));
        if (args[0].equals("apply")) {
            argv.addAll(List.of("--source", HostImage.checkoutRoot().toString()));
        }
        return ProvisionerRun.run(home, argv);
    }

    private ProvisionerRun trusted(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--known-hosts", hosts.knownHostsFile().toString()));
        return provisioner(argv.toArray(String[]::new));
    }

    private static String sh(TestHost h, String cmd) {
        return h.run(cmd).requireOk().stdout().trim();
    }

    private static String unitProperty(TestHost h, String unit, String property) {
        return sh(h, "systemctl show " + unit + " -p " + property + " --value");
    }

    @Test
    @Order(1)
    void unknownHostKeyIsRefusedWithFingerprintAndNothingIsTouched() throws Exception {
        ProvisionerRun run = provisioner("apply", "--limit", H1);
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.output()).contains("host key of " + NET1 + "2 is not known (ssh-ed25519 SHA256:")
                .contains("ssh-keyscan -t ed25519 -p 22 " + NET1 + "2 >>").contains("--accept-new-host-keys")
                .contains(H1 + " : ok=0 changed=0 unreachable=1 failed=0");
        assertThat(Files.exists(hosts.get(0).rootDir().resolve("opt/tailflow"))).isFalse();
    }

    @Test
    @Order(2)
    void checkModePrintsThePlanAndChangesNothing() throws Exception {
        ProvisionerRun run = trusted("apply", "--check", "--diff");
        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).contains("[" + H2 + "] release: would change (release 0.1.0-")
                .contains("[" + H2 + "] config: would change (config missing)")
                .containsPattern("\\+ +hostname: " + H2)
                .contains("[" + H2 + "] restart: would change");
        for (TestHost h : hosts.hosts()) {
            assertThat(Files.exists(h.rootDir().resolve("opt/tailflow"))).isFalse();
            assertThat(Files.exists(h.rootDir().resolve("etc/tailflow/agent.yaml"))).isFalse();
            assertThat(h.run("id tailflow").ok()).isFalse();
        }
    }

    @Test
    @Order(3)
    void firstApplyInstallsVerifiesAndTheAgentShipsAFileAsUserTailflow() throws Exception {
        ProvisionerRun run = trusted("apply", "--timings");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("[" + H1 + "] verify: ok")
                .containsPattern(H2 + " : connect=\\d+ facts=\\d+ upload=\\d+ unpack=\\d+ install=\\d+ restart=\\d+ verify=\\d+ total=\\d+");
        for (int i = 0; i < hosts.size(); i++) {
            TestHost h = hosts.get(i);
            assertThat(unitProperty(h, "tailflow-agent", "ActiveState")).isEqualTo("active");
            assertThat(unitProperty(h, "tailflow-agent", "UnitFileState")).isEqualTo("enabled");
            String pid = unitProperty(h, "tailflow-agent", "MainPID");
            assertThat(sh(h, "stat -c %U /proc/" + pid)).isEqualTo("tailflow");
            assertThat(sh(h, "stat -c '%a %U %G' /etc/tailflow/agent.yaml")).isEqualTo("640 root tailflow");
            assertThat(sh(h, "readlink /opt/tailflow/current")).startsWith("releases/0.1.0-");
            assertThat(sh(h, "id -nG tailflow")).contains("adm");

            String marker = "provisioned-" + h.name() + "-" + System.nanoTime();
            h.run("echo " + marker + " >> /var/log/provisioner-it.log").requireOk();
            LokiReceiver receiver = receivers.get(i);
            Wait.upTo(Duration.ofSeconds(30), marker + " at " + receiver.pushUrl()).every(Duration.ofMillis(200))
                    .poll(() -> receiver.entries().stream().anyMatch(e -> e.line().equals(marker)));
            assertThat(receiver.entries()).as("entries at " + receiver.pushUrl())
                    .anySatisfy(e -> {
                        assertThat(e.line()).isEqualTo(marker);
                        assertThat(e.labels()).contains("hostname=\"" + h.name() + "\"").contains("env=\"it\"");
                    });
        }
    }

    @Test
    @Order(4)
    void secondApplyChangesNothingAndRestartsNothing() throws Exception {
        Map<String, String> before = invocations();
        Path json = work.resolve("noop.json");
        ProvisionerRun run = trusted("apply", "--json", json.toString());
        assertThat(run.exitCode()).isZero();
        String results = Files.readString(json);
        assertThat(results).contains("\"exit_code\" : 0").contains("\"host\" : \"" + H2 + "\"").contains("\"status\" : \"OK\"")
                .doesNotContain("\"status\" : \"CHANGED\"");
        assertThat(run.output()).contains("[" + H1 + "] plan: ok (nothing to change)")
                .contains(H1 + " : ok=1 changed=0").contains(H3 + " : ok=1 changed=0")
                .doesNotContain(": changed (");
        assertThat(invocations()).isEqualTo(before);
    }

    @Test
    @Order(5)
    void aConfigChangeRestartsOnlyTheAgent() throws Exception {
        Map<String, String> agentBefore = invocations();
        String sshBefore = unitProperty(hosts.get(1), "ssh", "InvocationID");
        String release = sh(hosts.get(1), "readlink /opt/tailflow/current");
        ProvisionerRun run = trusted("apply", "--limit", H2, "--diff",
                "-e", "tailflow_log_paths=/var/log/*log,/var/log/provisioner-it/*.log");
        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).contains("[" + H2 + "] config: changed (config differs: ")
                .containsPattern("\\+ +__path__: /var/log/provisioner-it/\\*\\.log")
                .contains("[" + H2 + "] restart: changed (config changed)")
                .contains("[" + H2 + "] verify: ok")
                .doesNotContain("[" + H2 + "] release:").doesNotContain("[" + H1 + "]");
        Map<String, String> agentAfter = invocations();
        assertThat(agentAfter.get(H2)).isNotEqualTo(agentBefore.get(H2));
        assertThat(agentAfter.get(H1)).isEqualTo(agentBefore.get(H1));
        assertThat(unitProperty(hosts.get(1), "ssh", "InvocationID")).isEqualTo(sshBefore);
        assertThat(sh(hosts.get(1), "readlink /opt/tailflow/current")).isEqualTo(release);
        // back to the inventory's settings for the tests that follow
        assertThat(trusted("apply", "--limit", H2).exitCode()).isZero();
    }

    @Test
    @Order(6)
    void aReleaseThatFailsVerifyIsRolledBack() throws Exception {
        TestHost h = hosts.get(0);
        String good = sh(h, "readlink /opt/tailflow/current");
        Path broken = brokenCheckout();
        List<String> args = List.of("apply", "--limit", H1, "--verify-timeout", "20",
                "--known-hosts", hosts.knownHostsFile().toString(), "-i", inventory.toString(), "--source", broken.toString());
        ProvisionerRun run = ProvisionerRun.run(home, args);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("[" + H1 + "] switch: changed").contains("[" + H1 + "] restart: FAILED")
                .contains("[" + H1 + "] rollback: ok (rolled back to "
                + good.substring("releases/".length()) + ")")
                .contains("broken on purpose")
                .contains(H1 + " : ok=0");
        assertThat(sh(h, "readlink /opt/tailflow/current")).isEqualTo(good);
        assertThat(unitProperty(h, "tailflow-agent", "ActiveState")).isEqualTo("active");
        // and the good release applies as a no-op again
        assertThat(trusted("apply", "--limit", H1).output()).contains("[" + H1 + "] plan: ok (nothing to change)");
    }

    @Test
    @Order(7)
    void aHostThatIsDownIsReportedUnreachableWhileTheOthersFinish() throws Exception {
        Path withGhost = work.resolve("ghost.ini");
        Files.writeString(withGhost, Files.readString(inventory).replace("[agents:vars]",
                "ghost ansible_host=" + hosts.get(0).deadAddress() + " tailflow_loki_url=http://" + NET1 + "1:1/x\n\n[agents:vars]"));
        ProvisionerRun run = ProvisionerRun.run(home, List.of("apply", "-i", withGhost.toString(), "--source",
                HostImage.checkoutRoot().toString(), "--known-hosts", hosts.knownHostsFile().toString(),
                "--timeout", "3", "--retries", "2"));
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.output()).contains("[ghost] connect: UNREACHABLE (cannot connect to root@" + hosts.get(0).deadAddress()
                        + " after 2 attempts")
                .contains("ghost : ok=0 changed=0 unreachable=1 failed=0")
                .contains(H1 + " : ok=1 changed=0 unreachable=0 failed=0")
                .contains(H3 + " : ok=1 changed=0 unreachable=0 failed=0");
    }

    @Test
    @Order(8)
    void newHostKeysAreRecordedOnRequestButAChangedKeyIsNeverAccepted() throws Exception {
        Path recorded = work.resolve("recorded_known_hosts");
        Files.writeString(recorded, "");
        List<String> args = List.of("facts", "-i", inventory.toString(), "--known-hosts", recorded.toString(), "--accept-new-host-keys");
        ProvisionerRun first = ProvisionerRun.run(home, args);
        assertThat(first.exitCode()).isZero();
        assertThat(Files.readAllLines(recorded)).containsExactlyInAnyOrderElementsOf(Files.readAllLines(hosts.knownHostsFile()));
        // tfh11's entry now carries tfh12's key: as if tfh11 had been replaced by another machine
        String tfh12Key = hosts.get(1).knownHostsLine().substring(hosts.get(1).address().length());
        Files.writeString(recorded, hosts.get(0).address() + tfh12Key + "\n");
        ProvisionerRun changed = ProvisionerRun.run(home, args);
        assertThat(changed.exitCode()).isEqualTo(4);
        assertThat(changed.output()).contains("HOST KEY CHANGED for " + NET1 + "2 (now ssh-ed25519 SHA256:")
                .contains("ssh-keygen -R '" + NET1 + "2'");
        assertThat(Files.readAllLines(recorded)).hasSize(3).contains(hosts.get(0).address() + tfh12Key);
    }

    @Test
    @Order(9)
    void becomeThroughSudoAsked() throws Exception {
        TestHost h = hosts.get(2);
        h.run("useradd -m -s /bin/sh deploy && echo deploy:s3cret-pw | chpasswd && mkdir -p ~deploy/.ssh"
                + " && cp /root/.ssh/authorized_keys ~deploy/.ssh/ && chown -R deploy ~deploy/.ssh"
                + " && echo 'deploy ALL=(ALL) ALL' > /etc/sudoers.d/deploy").requireOk();
        List<String> args = List.of("apply", "-i", inventory.toString(), "--source", HostImage.checkoutRoot().toString(),
                "--known-hosts", hosts.knownHostsFile().toString(), "--limit", H3, "-e", "ansible_user=deploy");
        List<String> withoutPassword = new ArrayList<>(args);
        withoutPassword.add("-b");
        ProvisionerRun refused = ProvisionerRun.run(home, withoutPassword);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.output()).contains("[" + H3 + "] facts: FAILED").contains("rerun with -K");
        List<String> withPassword = new ArrayList<>(args);
        withPassword.add("-K");
        ProvisionerRun run = ProvisionerRun.run(home, withPassword, Map.of("TAILFLOW_BECOME_PASSWORD", "s3cret-pw"));
        // root-only facts (the 0640 config) were read through sudo: the host is recognised as converged
        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).contains("[" + H3 + "] plan: ok (nothing to change)").doesNotContain("s3cret-pw");
    }

    @Test
    @Order(10)
    void statusShowsEveryAgentReadyAndUninstallRemovesIt() throws Exception {
        ProvisionerRun status = trusted("status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).containsPattern(H1 + " +active/running +0\\.1\\.0-\\S+ +200");
        ProvisionerRun uninstall = trusted("uninstall", "--limit", H3, "--purge");
        assertThat(uninstall.exitCode()).isZero();
        TestHost h = hosts.get(2);
        assertThat(h.run("systemctl cat tailflow-agent").ok()).isFalse();
        assertThat(Files.exists(h.rootDir().resolve("opt/tailflow"))).isFalse();
        assertThat(h.run("id tailflow").ok()).isFalse();
    }

    /** The agent's InvocationID per host: changes exactly when systemd (re)starts it. */
    private Map<String, String> invocations() {
        Map<String, String> ids = new java.util.TreeMap<>();
        for (TestHost h : hosts.hosts()) {
            ids.put(h.name(), unitProperty(h, "tailflow-agent", "InvocationID"));
        }
        return ids;
    }

    /** A copy of the checkout's release inputs whose launcher fails: a new release id that cannot start. */
    private Path brokenCheckout() throws IOException {
        Path root = HostImage.checkoutRoot();
        Path b = work.resolve("broken");
        Files.createDirectories(b.resolve("agent/target/lib"));
        Files.createDirectories(b.resolve("packaging/bin"));
        Files.copy(root.resolve("agent/target/agent.jar"), b.resolve("agent/target/agent.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(root.resolve("packaging/tailflow-agent.service"), b.resolve("packaging/tailflow-agent.service"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(b.resolve("packaging/bin/agent"), "#!/bin/sh\necho 'agent: broken on purpose' >&2\nexit 3\n");
        return b;
    }
}

package tailflow.systemtest.deb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tailflow.systemtest.hosts.HostImage;
import tailflow.systemtest.hosts.TestHost;
import tailflow.systemtest.hosts.TestHosts;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.provisioner.ProvisionerRun;
import tailflow.systemtest.support.Wait;

/**
 * {@code provisioner apply} with {@code tailflow_install: deb} on real systemd + sshd hosts
 * (nspawn, offline). tfh140 lives through the package's whole life under the provisioner: a first
 * install through apt-get (libpcap0.8 pulled from a local file repository), a re-apply that
 * changes nothing, an upgrade that keeps positions, and a newer build that fails verification and
 * is rolled back to the kept .deb. tfh141 is the host that cannot or must not take the package:
 * no dpkg, then a tarball install that deb refuses to take over (and the reverse on tfh140).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebProvisionerIT {

    private static final String UNIT = "tailflow-agent";
    private static final String LOG = "/var/log/deb-it/app.log";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path work;
    private TestHosts hosts;
    private TestHost deb;
    private TestHost other;
    private LokiReceiver loki;
    private LokiReceiver otherLoki;
    private Path inventory;
    private Path home;
    private String version;
    private Path newer;
    private Path broken;
    private Path rejecting;

    @BeforeAll
    void boot() throws Exception {
        Path built = DebBuild.built();
        version = DebBuild.version(built);
        Path debs = Files.createDirectories(work.resolve("debs"));
        // gzip members, as jdeb writes them (the provisioner reads control.tar.gz itself)
        // the newer build also changes the example conffile: dpkg would prompt without --force-confold
        newer = DebBuild.repack(built, version + "+1", debs, tree -> Files.writeString(tree.resolve("etc/tailflow/agent.yaml"),
                "# changed in " + version + "+1\n", java.nio.file.StandardOpenOption.APPEND), "gzip");
        broken = DebBuild.repack(built, version + "+2", debs, tree -> Files.writeString(tree.resolve("usr/share/tailflow/bin/agent"),
                "#!/bin/sh\necho 'agent: broken on purpose' >&2\nexit 3\n"), "gzip");
        // a build that rejects the host's config (as a newer agent may reject a key): its --dry-run exits 2
        rejecting = DebBuild.repack(built, version + "+3", debs, tree -> Files.writeString(tree.resolve("usr/share/tailflow/bin/agent"),
                "#!/bin/sh\necho 'agent: /etc/tailflow/agent.yaml:1:1: server: rejected by this build' >&2\nexit 2\n"), "gzip");
        Path repo = work.resolve("repo");
        LocalAptRepo.build(repo, List.of("libpcap0.8"));

        hosts = TestHosts.boot(List.of(140, 141));
        deb = hosts.get(0);
        other = hosts.get(1);
        loki = LokiReceiver.start(deb.gateway(), 0);
        otherLoki = LokiReceiver.start(other.gateway(), 0);
        Path hostRepo = Files.createDirectories(deb.rootDir().resolve("srv/tailflow-repo"));
        try (var files = Files.list(repo)) {
            for (Path f : files.toList()) {
                Files.copy(f, hostRepo.resolve(f.getFileName()));
            }
        }
        // Offline: the local repository is the only source; libpcap0.8 must come from it through apt-get.
        sh(deb, "echo 'deb [trusted=yes] file:/srv/tailflow-repo ./' > /etc/apt/sources.list"
                + " && rm -f /etc/apt/sources.list.d/* && apt-get update -q && dpkg --purge libpcap0.8");
        sh(deb, "mkdir -p /var/log/deb-it && printf 'before-install\\n' > " + LOG + " && chown root:adm " + LOG + " && chmod 0640 " + LOG);

        home = Files.createDirectories(work.resolve("home"));
        inventory = work.resolve("deb.ini");
        Files.writeString(inventory, """
                [debs]
                %s ansible_host=%s tailflow_loki_url=%s tailflow_install=deb
                [plain]
                %s ansible_host=%s tailflow_loki_url=%s
                [all:vars]
                ansible_user=root
                ansible_ssh_private_key_file=%s
                tailflow_log_paths=/var/log/deb-it/*.log
                tailflow_journal=false
                """.formatted(deb.name(), deb.address(), loki.pushUrl(), other.name(), other.address(), otherLoki.pushUrl(),
                deb.privateKey()));
    }

    @AfterAll
    void teardown() {
        try {
            for (LokiReceiver r : new LokiReceiver[] {loki, otherLoki}) {
                if (r != null) {
                    r.close();
                }
            }
        } finally {
            if (hosts != null) {
                hosts.close();
            }
        }
    }

    @Test
    @Order(1)
    void firstInstallThroughAptPullsTheDependsAndRunsTheProvisionersConfig() throws Exception {
        ProvisionerRun run = apply(deb, "--timings");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("package tailflow-agent_" + version + "_all.deb (")
                .contains("[tfh140] config: changed (config missing)")
                .contains("[tfh140] release: changed (tailflow-agent " + version + " not installed (apt-get install))")
                .contains("[tfh140] verify: ok")
                .doesNotContain("[tfh140] unit:").doesNotContain("[tfh140] switch:");
        assertThat(sh(deb, "dpkg-query -W -f='${Status} ${Version}' tailflow-agent")).isEqualTo("install ok installed " + version);
        assertThat(sh(deb, "dpkg-query -W -f='${Status}' libpcap0.8")).as("pulled through apt-get").isEqualTo("install ok installed");
        assertThat(unit(deb, "FragmentPath")).isEqualTo("/lib/systemd/system/tailflow-agent.service");
        assertThat(unit(deb, "UnitFileState")).isEqualTo("enabled");
        assertThat(sh(deb, "stat -c '%a %U %G' /etc/tailflow/agent.yaml")).isEqualTo("640 root tailflow");
        assertThat(sh(deb, "cat /etc/tailflow/agent.yaml")).as("the provisioner's config, kept over the package's conffile")
                .contains(loki.pushUrl().toString()).contains("hostname: tfh140");
        assertThat(sh(deb, "ls -A /var/cache/tailflow/debs | grep -v dpkg.log")).as("the installed .deb, kept for a rollback")
                .isEqualTo("current.deb");
        assertThat(Files.exists(deb.rootDir().resolve("opt/tailflow"))).isFalse();
        assertThat(sh(deb, "stat -c %U /proc/" + unit(deb, "MainPID"))).isEqualTo("tailflow");
        awaitLines(loki, "before-install");
    }

    @Test
    @Order(2)
    void reApplyingTheSameBuildChangesNothingAndRestartsNothing() throws Exception {
        String invocation = unit(deb, "InvocationID");
        Path json = work.resolve("noop.json");
        ProvisionerRun run = apply(deb, "--json", json.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("[tfh140] plan: ok (nothing to change)").contains("tfh140 : ok=1 changed=0");
        assertThat(Files.readString(json)).contains("\"host\" : \"tfh140\"").contains("\"status\" : \"OK\"")
                .contains("\"release\" : \"deb:" + version + "\"");
        assertThat(unit(deb, "InvocationID")).isEqualTo(invocation);
    }

    @Test
    @Order(3)
    void anUpgradeToANewerBuildKeepsThePositionsAndShipsNothingTwice() throws Exception {
        List<String> before = append("before-upgrade", 200);
        awaitLines(loki, before.toArray(String[]::new));
        String invocation = unit(deb, "InvocationID");
        ProvisionerRun check = apply(deb, "--deb", newer.toString(), "--check");
        assertThat(check.output()).contains("[tfh140] release: would change (tailflow-agent " + version + " -> " + version + "+1 (apt-get install))");
        assertThat(sh(deb, "dpkg-query -W -f='${Version}' tailflow-agent")).as("check mode changes nothing").isEqualTo(version);
        Path json = work.resolve("upgrade.json");
        ProvisionerRun run = apply(deb, "--deb", newer.toString(), "--json", json.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("[tfh140] release: changed (tailflow-agent " + version + " -> " + version + "+1 (apt-get install))")
                .contains("[tfh140] verify: ok").doesNotContain("[tfh140] config:");
        assertThat(Files.readString(json)).contains("\"status\" : \"CHANGED\"").contains("\"step\" : \"release\"");
        assertThat(sh(deb, "dpkg-query -W -f='${Version}' tailflow-agent")).isEqualTo(version + "+1");
        assertThat(sh(deb, "cat /etc/tailflow/agent.yaml")).as("the provisioner's config survives a changed conffile")
                .contains("hostname: tfh140").doesNotContain("# changed in");
        assertThat(sh(deb, "cat /etc/tailflow/agent.yaml.dpkg-dist")).as("dpkg's copy of the package's new version")
                .contains("# changed in " + version + "+1");
        assertThat(unit(deb, "InvocationID")).as("restarted into the new version").isNotEqualTo(invocation);
        assertThat(sh(deb, "dpkg-deb -f /var/cache/tailflow/debs/current.deb Version")).isEqualTo(version + "+1");
        assertThat(sh(deb, "dpkg-deb -f /var/cache/tailflow/debs/previous.deb Version")).isEqualTo(version);

        List<String> after = append("after-upgrade", 200);
        awaitLines(loki, after.toArray(String[]::new));
        assertThat(loki.duplicates()).as("entries Loki would have received twice").isZero();
        List<String> shipped = loki.entries().stream().map(LokiReceiver.Entry::line).toList();
        for (String line : before) {
            assertThat(shipped.stream().filter(line::equals).count()).as(line).isEqualTo(1);
        }
    }

    @Test
    @Order(4)
    void aChangedFileOfThePackageIsRepairedByReinstallingTheSameVersion() throws Exception {
        sh(deb, "echo '# edited by hand' >> /usr/share/tailflow/bin/agent");
        ProvisionerRun run = apply(deb, "--deb", newer.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("[tfh140] release: changed (tailflow-agent " + version + "+1: 1 file(s) differ from the package"
                + " (/usr/share/tailflow/bin/agent): reinstall (dpkg -i))").contains("[tfh140] verify: ok");
        assertThat(sh(deb, "dpkg --verify tailflow-agent | grep -v ' c ' || true")).as("dpkg --verify").isEmpty();
        assertThat(apply(deb, "--deb", newer.toString()).output()).contains("[tfh140] plan: ok (nothing to change)");
    }

    @Test
    @Order(5)
    void aNewBuildThatFailsIsRolledBackToTheKeptDeb() throws Exception {
        ProvisionerRun run = apply(deb, "--deb", broken.toString(), "--verify-timeout", "30");
        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains("[tfh140] release: changed (tailflow-agent " + version + "+1 -> " + version + "+2")
                .contains("[tfh140] rollback: ok (rolled back to " + version + "+1)")
                .contains("broken on purpose");
        assertThat(sh(deb, "dpkg-query -W -f='${Status} ${Version}' tailflow-agent")).isEqualTo("install ok installed " + version + "+1");
        assertThat(unit(deb, "ActiveState")).isEqualTo("active");
        assertThat(sh(deb, "ls -A /var/cache/tailflow/debs | grep -v dpkg.log | sort | tr '\\n' ' '")).as("no new.deb, no marker")
                .isEqualTo("current.deb previous.deb");
        List<String> lines = append("after-rollback", 50);
        awaitLines(loki, lines.toArray(String[]::new));
        assertThat(loki.duplicates()).isZero();
        // and the build that runs applies as a no-op again
        ProvisionerRun again = apply(deb, "--deb", newer.toString());
        assertThat(again.output()).contains("[tfh140] plan: ok (nothing to change)");
    }

    @Test
    @Order(6)
    void aBuildThatRejectsTheConfigFailsTheInstallKeepsTheOldAgentRunningAndIsRolledBack() throws Exception {
        ProvisionerRun run = apply(deb, "--deb", rejecting.toString());
        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains("[tfh140] release: FAILED (apt-get install failed: ")
                .contains("not restarted: /etc/tailflow/agent.yaml does not load")
                .contains("rejected by this build")
                .contains("[tfh140] rollback: ok (rolled back to " + version + "+1)");
        assertThat(sh(deb, "dpkg-query -W -f='${Status} ${Version}' tailflow-agent")).isEqualTo("install ok installed " + version + "+1");
        assertThat(unit(deb, "ActiveState")).isEqualTo("active");
        List<String> lines = append("after-rejected", 20);
        awaitLines(loki, lines.toArray(String[]::new));
        assertThat(loki.duplicates()).isZero();
        assertThat(apply(deb, "--deb", newer.toString()).output()).contains("[tfh140] plan: ok (nothing to change)");
    }

    @Test
    @Order(7)
    void aHostWithoutDpkgIsRefusedAndOthersGoOn() throws Exception {
        sh(other, "mv /usr/bin/dpkg-query /usr/bin/dpkg-query.hidden");
        try {
            ProvisionerRun run = ProvisionerRun.run(home, args("--limit", "tfh141,tfh140", "-e", "tailflow_install=deb",
                    "--deb", newer.toString()));
            assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
            assertThat(run.output()).contains("[tfh141] plan: FAILED (tailflow_install: deb needs dpkg, and this host (debian 12) has none;"
                    + " use tailflow_install: tarball for it)")
                    .contains("tfh141 : ok=0 changed=0 unreachable=0 failed=1")
                    .contains("tfh140 : ok=1 changed=0");
        } finally {
            sh(other, "mv /usr/bin/dpkg-query.hidden /usr/bin/dpkg-query");
        }
        assertThat(Files.exists(other.rootDir().resolve("etc/tailflow"))).as("nothing written").isFalse();
    }

    @Test
    @Order(8)
    void aTarballHostIsNotTakenOverByTheDebNorADebHostByATarball() throws Exception {
        ProvisionerRun tarball = apply(other);
        assertThat(tarball.exitCode()).as(tarball.output()).isZero();
        String invocation = unit(other, "InvocationID");
        ProvisionerRun toDeb = ProvisionerRun.run(home, args("--limit", "tfh141", "-e", "tailflow_install=deb"));
        assertThat(toDeb.exitCode()).isEqualTo(2);
        assertThat(toDeb.output()).contains("[tfh141] plan: FAILED (the agent is installed from a release tarball here"
                + " (/opt/tailflow/current -> " + version + "-")
                .contains("run provisioner uninstall --limit tfh141 first (keeps the positions)");
        assertThat(unit(other, "InvocationID")).as("the tarball agent untouched").isEqualTo(invocation);
        assertThat(other.run("dpkg-query -W tailflow-agent").ok()).isFalse();

        ProvisionerRun toTarball = ProvisionerRun.run(home, args("--limit", "tfh140", "-e", "tailflow_install=tarball"));
        assertThat(toTarball.exitCode()).isEqualTo(2);
        assertThat(toTarball.output()).contains("[tfh140] plan: FAILED (the Debian package tailflow-agent " + version
                + "+1 is installed: set tailflow_install: deb for this host");
        assertThat(Files.exists(deb.rootDir().resolve("opt/tailflow"))).isFalse();
    }

    @Test
    @Order(9)
    void statusShowsThePackageAndUninstallRemovesItKeepingThePositions() throws Exception {
        ProvisionerRun status = ProvisionerRun.run(home, List.of("status", "-i", inventory.toString(), "--limit", "tfh140",
                "--known-hosts", hosts.knownHostsFile().toString()));
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).containsPattern("tfh140 +active/running +deb:" + java.util.regex.Pattern.quote(version + "+1") + " +200");
        ProvisionerRun run = ProvisionerRun.run(home, List.of("uninstall", "-i", inventory.toString(), "--limit", "tfh140",
                "--known-hosts", hosts.knownHostsFile().toString()));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("[tfh140] uninstall: changed (removed)");
        assertThat(sh(deb, "dpkg-query -W -f='${Status}' tailflow-agent")).isEqualTo("deinstall ok config-files");
        assertThat(deb.run("pgrep -u tailflow java").exitCode()).as("no agent process").isEqualTo(1);
        assertThat(Files.exists(deb.rootDir().resolve("var/lib/tailflow/positions.yaml"))).isTrue();
        assertThat(Files.exists(deb.rootDir().resolve("var/cache/tailflow"))).isFalse();

        ProvisionerRun purge = ProvisionerRun.run(home, List.of("uninstall", "-i", inventory.toString(), "--limit", "tfh140", "--purge",
                "--known-hosts", hosts.knownHostsFile().toString()));
        assertThat(purge.output()).contains("[tfh140] uninstall: changed (removed)");
        assertThat(deb.run("dpkg-query -W -f='${Status}' tailflow-agent").stdout()).as("dpkg forgot the package").isIn("", "unknown ok not-installed");
        assertThat(deb.run("getent passwd tailflow").exitCode()).as("user tailflow").isEqualTo(2);
        assertThat(Files.exists(deb.rootDir().resolve("var/lib/tailflow"))).isFalse();
        assertThat(Files.exists(deb.rootDir().resolve("etc/tailflow"))).isFalse();
    }

    private List<String> args(String... extra) {
        List<String> a = new ArrayList<>(List.of("apply", "-i", inventory.toString(), "--source", HostImage.checkoutRoot().toString(),
                "--known-hosts", hosts.knownHostsFile().toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private ProvisionerRun apply(TestHost h, String... extra) throws Exception {
        List<String> a = new ArrayList<>(List.of("--limit", h.name()));
        a.addAll(List.of(extra));
        return ProvisionerRun.run(home, args(a.toArray(String[]::new)));
    }

    private List<String> append(String prefix, int count) {
        List<String> lines = new ArrayList<>();
        IntStream.rangeClosed(1, count).forEach(i -> lines.add(prefix + "-" + i));
        deb.putFile("/tmp/lines", String.join("\n", lines) + "\n", "0644");
        sh(deb, "cat /tmp/lines >> " + LOG);
        return lines;
    }

    private void awaitLines(LokiReceiver receiver, String... lines) {
        Wait.upTo(WAIT, lines.length + " lines at the receiver (last: " + lines[lines.length - 1] + ")")
                .until(() -> receiver.entries().stream().map(LokiReceiver.Entry::line).toList().containsAll(List.of(lines)),
                        () -> "receiver: " + receiver.stats() + "; journal:\n" + deb.run("journalctl -u " + UNIT + " --no-pager -n 40").stdout());
    }

    private static String unit(TestHost h, String property) {
        return sh(h, "systemctl show " + UNIT + " -p " + property + " --value");
    }

    private static String sh(TestHost h, String command) {
        return h.run(command, Duration.ofMinutes(2)).requireOk().stdout().strip();
    }
}

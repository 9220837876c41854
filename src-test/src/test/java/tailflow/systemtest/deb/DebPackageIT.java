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
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tailflow.systemtest.hosts.ExecResult;
import tailflow.systemtest.hosts.TestHost;
import tailflow.systemtest.hosts.TestHosts;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.Wait;

/**
 * The Debian package's life on a real systemd host (nspawn, host 140, offline): apt-get installs
 * the .deb and pulls a missing dependency (libpcap0.8) from a local file repository; the agent
 * runs as tailflow and ships to the receiver; an upgrade to a newer build restarts it with its
 * positions, shipping nothing twice; a config error on upgrade leaves the old agent running and
 * says why; remove stops it; purge leaves no file, user or unit state behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebPackageIT {
    private static final String UNIT = "tailflow-agent.service";
    private static final String LOG = "/var/log/pkg-it/app.log";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** What a purge must leave as it found it: the whole tree but what the system itself churns (logs, apt and
     *  dpkg state, timer stamps, dpkg-db-backup.timer's /var/backups). */
    private static final String SNAPSHOT = "find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /run"
            + " -o -path /tmp -o -path /var/log -o -path /var/cache -o -path /var/lib/apt -o -path /var/lib/dpkg"
            + " -o -path /var/tmp -o -path /var/backups -o -path /var/lib/systemd/timers -o -path /srv/tailflow-repo -o -path /root/debs \\) -prune -o -print | sort";

    @TempDir
    static Path work;
    private static TestHosts hosts;
    private static TestHost host;
    private static LokiReceiver loki;
    private static String newer;
    private static String before;

    @BeforeAll
    static void boot() throws Exception {
        Path deb = DebBuild.built();
        String version = DebBuild.version(deb);
        newer = version + "+1";
        Path debs = Files.createDirectories(work.resolve("debs"));
        Files.copy(deb, debs.resolve(deb.getFileName()));
        DebBuild.withVersion(deb, newer, debs);
        DebBuild.withVersion(deb, version + "+2", debs);
        Path repo = work.resolve("repo");
        LocalAptRepo.build(repo, List.of("libpcap0.8"));

        hosts = TestHosts.boot(List.of(140));
        host = hosts.get(0);
        loki = LokiReceiver.start(host.gateway(), 0);
        copyTree(debs, host.rootDir().resolve("root/debs"));
        copyTree(repo, host.rootDir().resolve("srv/tailflow-repo"));
        // Offline: the local repository is the only source; libpcap0.8 must come from it.
        sh("echo 'deb [trusted=yes] file:/srv/tailflow-repo ./' > /etc/apt/sources.list"
                + " && rm -f /etc/apt/sources.list.d/* && apt-get update -q && dpkg --purge libpcap0.8");
        before = sh(SNAPSHOT);
    }

    @AfterAll
    static void teardown() {
        try {
            if (loki != null) {
                loki.close();
            }
        } finally {
            if (hosts != null) {
                hosts.close();
            }
        }
    }

    @Test
    @Order(1)
    void aptInstallPullsTheDependenciesAndTheAgentShipsAsTailflow() {
        String out = apt("install -y /root/debs/" + DebBuild.built().getFileName()).requireOk().stdout();
        assertThat(out).as("apt-get's output").contains("libpcap0.8");
        assertThat(sh("dpkg-query -W -f='${Status}' libpcap0.8")).isEqualTo("install ok installed");
        assertThat(sh("systemctl is-enabled " + UNIT)).isEqualTo("enabled");
        assertThat(sh("systemctl is-active " + UNIT)).as("started with the example config").isEqualTo("active");
        assertThat(sh("id -nG tailflow")).contains("adm").contains("systemd-journal");
        assertThat(sh("readlink -f /usr/bin/tailflow-agent")).isEqualTo("/usr/share/tailflow/bin/agent");

        host.putFile("/etc/tailflow/agent.yaml", config(), "0644");
        sh("mkdir -p /var/log/pkg-it && printf 'installed\\n' > " + LOG + " && chown root:adm " + LOG + " && chmod 0640 " + LOG);
        sh("systemctl restart " + UNIT);
        assertThat(sh("stat -c %U /proc/" + mainPid())).isEqualTo("tailflow");
        awaitLines("installed");
        assertThat(loki.entries()).anySatisfy(e -> assertThat(e.labels()).contains("job=\"pkg-it\""));
    }

    @Test
    @Order(2)
    void upgradeRestartsWithThePositionsAndShipsNothingTwice() {
        List<String> lines = append("before-upgrade", 200);
        awaitLines(lines.toArray(String[]::new));
        String oldPid = mainPid();
        String positions = sh("cat /var/lib/tailflow/positions.yaml");
        assertThat(positions).contains(LOG);

        apt("install -y /root/debs/tailflow-agent_" + newer + "_all.deb").requireOk();
        assertThat(sh("dpkg-query -W -f='${Version}' tailflow-agent")).isEqualTo(newer);
        assertThat(sh("systemctl is-active " + UNIT)).isEqualTo("active");
        assertThat(mainPid()).as("restarted on upgrade").isNotEqualTo(oldPid);

        List<String> after = append("after-upgrade", 200);
        awaitLines(after.toArray(String[]::new));
        assertThat(loki.duplicates()).as("entries Loki would have received twice").isZero();
        List<String> shipped = loki.entries().stream().map(LokiReceiver.Entry::line).toList();
        for (String line : lines) {
            assertThat(shipped.stream().filter(line::equals).count()).as(line).isEqualTo(1);
        }
    }

    @Test
    @Order(3)
    void aConfigErrorOnUpgradeLeavesTheOldAgentRunningAndSaysWhy() {
        String oldPid = mainPid();
        host.putFile("/etc/tailflow/agent.yaml", config() + "no_such_key: 1\n", "0644");
        ExecResult upgrade = apt("install -y /root/debs/tailflow-agent_" + DebBuild.version(DebBuild.built()) + "+2_all.deb");
        assertThat(upgrade.ok()).as("apt-get fails the configure step").isFalse();
        assertThat(upgrade.stdout() + upgrade.stderr())
                .contains("not restarted: /etc/tailflow/agent.yaml does not load")
                .contains("/etc/tailflow/agent.yaml:").contains("no_such_key")
                .contains("dpkg --configure -a");
        assertThat(mainPid()).as("the old agent still runs").isEqualTo(oldPid);
        awaitLines(append("still-shipping", 1).toArray(String[]::new));

        host.putFile("/etc/tailflow/agent.yaml", config(), "0644");
        sh("dpkg --configure -a");
        assertThat(sh("dpkg-query -W -f='${Status}' tailflow-agent")).isEqualTo("install ok installed");
        assertThat(mainPid()).as("restarted once the config loads").isNotEqualTo(oldPid);
    }

    @Test
    @Order(4)
    void removeStopsTheAgentAndKeepsConfigAndPositions() {
        apt("remove -y tailflow-agent").requireOk();
        assertThat(host.run("systemctl is-active " + UNIT).stdout().strip()).isIn("inactive", "unknown");
        assertThat(host.run("pgrep -u tailflow java").exitCode()).as("no agent process").isEqualTo(1);
        assertThat(sh("test -f /etc/tailflow/agent.yaml && test -f /var/lib/tailflow/positions.yaml && echo kept"))
                .isEqualTo("kept");
    }

    @Test
    @Order(5)
    void purgeLeavesNothingBehind() {
        apt("purge -y tailflow-agent").requireOk();
        apt("autoremove --purge -y").requireOk(); // libpcap0.8, pulled in as a dependency
        assertThat(host.run("getent passwd tailflow").exitCode()).as("user tailflow").isEqualTo(2);
        assertThat(host.run("getent group tailflow").exitCode()).as("group tailflow").isEqualTo(2);
        assertThat(sh(SNAPSHOT)).as("every path on the host, before install and after purge").isEqualTo(before);
    }

    private static String config() {
        return """
                server:
                  http_listen_port: 9080
                positions:
                  filename: /var/lib/tailflow/positions.yaml
                clients:
                  - url: %s
                scrape_configs:
                  - job_name: pkg-it
                    static_configs:
                      - targets: [localhost]
                        labels:
                          job: pkg-it
                          __path__: /var/log/pkg-it/*.log
                """.formatted(loki.pushUrl());
    }

    private static List<String> append(String prefix, int count) {
        List<String> lines = new ArrayList<>();
        IntStream.rangeClosed(1, count).forEach(i -> lines.add(prefix + "-" + i));
        host.putFile("/tmp/lines", String.join("\n", lines) + "\n", "0644");
        sh("cat /tmp/lines >> " + LOG);
        return lines;
    }

    private static void awaitLines(String... lines) {
        Wait.upTo(WAIT, lines.length + " lines at the receiver (last: " + lines[lines.length - 1] + ")")
                .until(() -> loki.entries().stream().map(LokiReceiver.Entry::line).toList().containsAll(List.of(lines)),
                        () -> "receiver: " + loki.stats() + "; journal:\n" + host.run("journalctl -u " + UNIT + " --no-pager -n 40").stdout());
    }

    private static String mainPid() {
        return sh("systemctl show -p MainPID --value " + UNIT);
    }

    private static ExecResult apt(String args) {
        return host.run("DEBIAN_FRONTEND=noninteractive apt-get -q -o Dpkg::Options::=--force-confold " + args,
                Duration.ofMinutes(3));
    }

    private static String sh(String command) {
        return host.run(command, Duration.ofMinutes(2)).requireOk().stdout().strip();
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}

package tailflow.systemtest.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tailflow.systemtest.hosts.TestHost;
import tailflow.systemtest.hosts.TestHosts;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.Wait;

/**
 * The journal as a log source in a real systemd host (nspawn, host 120), with the agent under the
 * shipped unit (user tailflow, SupplementaryGroups=adm systemd-journal) shipping to the strict
 * Loki-compatible receiver on the host's side of the veth: entries written with systemd-cat and
 * logger from several units at several priorities arrive once with Promtail-style relabelled
 * labels and the journal's own timestamps, beside a file job; kill -9 in a burst, rotation and
 * vacuuming while reading, a cursor vacuumed away while the agent was down, json: true and
 * matches.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JournalServiceIT {
    private static final String UNIT = AgentInstall.UNIT;
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static TestHosts hosts;
    private static TestHost host;
    private static LokiReceiver loki;
    private static String hostname;

    @BeforeAll
    static void boot() throws Exception {
        hosts = TestHosts.boot(List.of(120));
        host = hosts.get(0);
        AgentInstall.install(host);
        loki = LokiReceiver.start(host.gateway(), 0);
        hostname = sh("hostname").strip();
        sh("mkdir -p /var/log/tfj && echo 'a file line' > /var/log/tfj/app.log && chown root:adm /var/log/tfj/app.log"
                + " && chmod 0640 /var/log/tfj/app.log && journalctl --flush");
        host.putFile(AgentInstall.CONFIG, config("", ""), "0644");
    }

    @AfterAll
    static void teardown() throws Exception {
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

    @AfterEach
    void stopAgent() {
        host.run("systemctl stop " + UNIT + "; systemctl reset-failed " + UNIT);
    }

    /** Promtail's journal example plus a level label, beside a file job; {@code journalExtra} goes under journal:. */
    static String config(String journalExtra, String jobSuffix) {
        return """
                server:
                  http_listen_port: 9080
                positions:
                  filename: /var/lib/tailflow/positions.yaml
                  sync_period: 1s
                clients:
                  - url: %1$s
                    batchwait: 200ms
                scrape_configs:
                  - job_name: files
                    static_configs:
                      - targets: [localhost]
                        labels:
                          job: files
                          hostname: %2$s
                          __path__: /var/log/tfj/*.log
                  - job_name: journal%4$s
                    journal:
                      max_age: 12h
                      labels:
                        job: systemd-journal
                        hostname: %2$s
                %3$s
                    relabel_configs:
                      - source_labels: ['__journal__systemd_unit']
                        target_label: 'unit'
                      - source_labels: ['__journal_priority_keyword']
                        target_label: 'level'
                """.formatted(loki.pushUrl(), hostname, journalExtra, jobSuffix);
    }

    @Test
    @Order(1)
    void entriesFromSeveralUnitsAndPrioritiesArriveOnceWithLabelsAndJournalTimestamps() {
        sh("systemctl start " + UNIT);
        // journald names the unit from the writer's cgroup, read while the writer lives: each writer
        // stays a second after its line (a writer gone first gives an entry without _SYSTEMD_UNIT)
        run("tfj-alpha", "echo '<4>alpha warns'; sleep 1"); // the service's own stdout, with a priority prefix
        run("tfj-beta", "systemd-cat -t beta -p err sh -c 'echo beta fails; sleep 1';"
                + " systemd-cat -t beta -p notice sh -c 'echo beta notes; sleep 1'");
        run("tfj-logger", "(echo 'logger says hi'; sleep 1) | logger -t tfjlog -p user.info");
        Map<String, String> expected = Map.of(
                "alpha warns", labels("tfj-alpha.service", "warning"),
                "beta fails", labels("tfj-beta.service", "error"),
                "beta notes", labels("tfj-beta.service", "notice"),
                "logger says hi", labels("tfj-logger.service", "info"));
        Wait.upTo(WAIT, "the four journal lines and the file line").until(
                () -> expected.keySet().stream().allMatch(JournalServiceIT::has) && has("a file line"), JournalServiceIT::journal);
        expected.forEach((line, labels) -> {
            List<LokiReceiver.Entry> got = entries(line);
            assertThat(got).as(line).hasSize(1);
            assertThat(got.get(0).labels()).as(line).isEqualTo(labels);
            assertThat(got.get(0).timestampNanos()).as("the journal's own timestamp of '%s'", line)
                    .isEqualTo(journalRealtimeMicros(line) * 1_000);
        });
        assertThat(entries("a file line").get(0).labels()).contains("job=\"files\"").contains("filename=\"/var/log/tfj/app.log\"");
        // the agent's own log lines are journal entries too, labelled with its unit
        assertThat(loki.entries()).anyMatch(e -> e.labels().contains("unit=\"" + UNIT + "\""));
        assertThat(loki.duplicates()).isZero();
    }

    @Test
    @Order(2)
    void killDuringABurstThenRestartGivesEveryEntryExactlyOnce() {
        sh("systemctl start " + UNIT);
        run("tfj-burst1", "for i in $(seq 3000); do echo \"burst1 $i\"; done");
        Wait.upTo(WAIT, "some of the burst at the receiver").until(() -> count("burst1 ") >= 200, JournalServiceIT::journal);
        sh("systemctl kill -s KILL " + UNIT);
        // Restart=on-failure brings it back after RestartSec
        Wait.upTo(WAIT, "all 3000 burst lines after the restart").every(Duration.ofMillis(500))
                .until(() -> count("burst1 ") == 3000, JournalServiceIT::journal);
        assertEachOnce("burst1 ", 3000);
    }

    @Test
    @Order(3)
    void rotationAndVacuumWhileReadingLoseAndDoubleNothing() {
        sh("systemctl start " + UNIT);
        run("tfj-rot", "for i in $(seq 1000); do echo \"rot1 $i\"; done");
        sh("journalctl --rotate");
        run("tfj-rot", "for i in $(seq 1000); do echo \"rot2 $i\"; done");
        sh("journalctl --rotate");
        Wait.upTo(WAIT, "both bursts around a rotation").until(() -> count("rot1 ") == 1000 && count("rot2 ") == 1000,
                JournalServiceIT::journal);
        sh("journalctl --vacuum-files=1");
        run("tfj-rot", "for i in $(seq 1000); do echo \"rot3 $i\"; done");
        Wait.upTo(WAIT, "the burst after vacuuming").until(() -> count("rot3 ") == 1000, JournalServiceIT::journal);
        assertEachOnce("rot1 ", 1000);
        assertEachOnce("rot2 ", 1000);
        assertEachOnce("rot3 ", 1000);
        assertThat(sh("systemctl show -p ActiveState --value " + UNIT).strip()).isEqualTo("active");
    }

    @Test
    @Order(4)
    void aCursorVacuumedWhileTheAgentWasDownResumesAtItsTimestamp() {
        sh("systemctl start " + UNIT);
        run("tfj-vac", "echo 'vac before'");
        Wait.upTo(WAIT, "the line before the stop").until(() -> has("vac before"), JournalServiceIT::journal);
        sh("systemctl stop " + UNIT);
        assertThat(sh("cat /var/lib/tailflow/positions.yaml")).contains("cursor-journal");
        // the file holding the saved cursor is archived and vacuumed; what came after survives
        sh("journalctl --rotate");
        run("tfj-vac", "for i in $(seq 100); do echo \"vac after $i\"; done");
        // --vacuum-files counts the active file: 2 keeps it and the newest archive (the lines above)
        sh("journalctl --rotate && journalctl --vacuum-files=2");
        sh("systemctl start " + UNIT);
        Wait.upTo(WAIT, "the lines written while the agent was down").until(() -> count("vac after ") == 100,
                JournalServiceIT::journal);
        assertEachOnce("vac after ", 100);
        assertThat(count("vac before")).isEqualTo(1);
        String log = sh("journalctl --no-pager -o cat -u " + UNIT + " _SYSTEMD_INVOCATION_ID="
                + sh("systemctl show -p InvocationID --value " + UNIT).strip());
        assertThat(log).contains("is no longer in the journal (vacuumed or rotated away): from its timestamp");
    }

    @Test
    @Order(5)
    void jsonTrueGivesTheFieldsAndMatchesFilter() throws Exception {
        host.putFile(AgentInstall.CONFIG, config("      json: true\n      matches: _SYSTEMD_UNIT=tfj-json.service", "_json"), "0644");
        try {
            sh("systemctl start " + UNIT);
            run("tfj-other", "echo 'not for the json job'");
            // The unit's own stdout, not systemd-cat: PID 1 names the unit in the stream's header, while a
            // systemd-cat connection is attributed by journald reading /proc after the fact, which a short-lived
            // writer on a loaded machine can lose (no _SYSTEMD_UNIT: the match then rightly filters it out).
            sh("systemd-run --quiet --wait --collect --unit=tfj-json -p StandardOutput=journal -p SyslogIdentifier=jsonid"
                    + " /bin/sh -c " + quote("printf '<4>json one\\n'"));
            Wait.upTo(WAIT, "the json job's entry").until(() -> loki.entries().stream()
                    .anyMatch(e -> e.line().contains("\"MESSAGE\":\"json one\"")), JournalServiceIT::journal);
            LokiReceiver.Entry e = loki.entries().stream().filter(x -> x.line().contains("\"MESSAGE\":\"json one\""))
                    .findFirst().orElseThrow();
            JsonNode fields = new ObjectMapper().readTree(e.line());
            assertThat(fields.path("SYSLOG_IDENTIFIER").asText()).isEqualTo("jsonid");
            assertThat(fields.path("PRIORITY").asText()).isEqualTo("4");
            assertThat(fields.path("_SYSTEMD_UNIT").asText()).isEqualTo("tfj-json.service");
            assertThat(e.labels()).isEqualTo(labels("tfj-json.service", "warning"));
            // the other unit's entry was written before the json one: the match kept it out
            assertThat(loki.entries()).noneMatch(x -> x.line().contains("not for the json job"));
        } finally {
            host.putFile(AgentInstall.CONFIG, config("", ""), "0644");
        }
    }

    @Test
    @Order(6)
    void dryRunShowsTheJournalJob() {
        String asAgent = "setpriv --reuid=tailflow --regid=tailflow --groups=adm,systemd-journal -- ";
        String dry = unfolded(sh(asAgent + "/opt/tailflow/current/bin/agent --dry-run --config " + AgentInstall.CONFIG));
        assertThat(dry).contains("position_key: cursor-journal", "status: ok", "recent_entries:", "unit: ",
                "system.journal: readable", "start: after saved cursor");
        String denied = unfolded(sh("setpriv --reuid=tailflow --regid=tailflow --clear-groups -- /opt/tailflow/current/bin/agent"
                + " --dry-run --config " + AgentInstall.CONFIG));
        assertThat(denied).contains("this process is not in group systemd-journal", "status: \"cannot read");
    }

    /** The dry-run's YAML with long double-quoted strings joined again (the writer folds them with a trailing \). */
    private static String unfolded(String yaml) {
        return yaml.replaceAll("\\\\\n\\s*\\\\", "");
    }

    // ---- helpers

    private static String labels(String unit, String level) {
        return "{hostname=\"" + hostname + "\", job=\"systemd-journal\", level=\"" + level + "\", unit=\"" + unit + "\"}";
    }

    /** Runs {@code script} as the transient service {@code unit}, its output to the journal, and waits for it. */
    private static void run(String unit, String script) {
        sh("systemd-run --quiet --wait --collect --unit=" + unit + " -p StandardOutput=journal -p StandardError=journal"
                + " /bin/sh -c " + quote(script));
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static long journalRealtimeMicros(String message) {
        String ts = sh("journalctl --no-pager -o export MESSAGE=" + quote(message)
                + " | sed -n 's/^__REALTIME_TIMESTAMP=//p'").strip();
        assertThat(ts).as("one journal entry with MESSAGE=%s", message).matches("\\d+");
        return Long.parseLong(ts);
    }

    private static List<LokiReceiver.Entry> entries(String line) {
        return loki.entries().stream().filter(e -> e.line().equals(line)).toList();
    }

    private static boolean has(String line) {
        return !entries(line).isEmpty();
    }

    private static long count(String prefix) {
        return loki.entries().stream().filter(e -> e.line().startsWith(prefix)).count();
    }

    /** Every line "{prefix}1".."{prefix}n" stored exactly once (resends were dropped as Loki drops them). */
    private static void assertEachOnce(String prefix, int n) {
        Map<String, Long> counts = loki.entries().stream().filter(e -> e.line().startsWith(prefix))
                .collect(Collectors.groupingBy(LokiReceiver.Entry::line, Collectors.counting()));
        assertThat(counts).hasSize(n);
        assertThat(counts.values()).allMatch(c -> c == 1);
    }

    private static String sh(String command) {
        return host.run(command, WAIT).requireOk().stdout();
    }

    private static String journal() {
        return "agent journal:\n" + host.run("journalctl -u " + UNIT + " --no-pager -n 40").stdout()
                + "\nreceiver: " + loki.stats();
    }
}

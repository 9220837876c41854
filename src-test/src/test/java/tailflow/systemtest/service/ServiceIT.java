package tailflow.systemtest.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tailflow.systemtest.hosts.ExecResult;
import tailflow.systemtest.hosts.TestHost;
import tailflow.systemtest.hosts.TestHosts;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.Wait;

/**
 * The agent under the shipped hardened unit (packaging/tailflow-agent.service, unchanged) in a
 * host with a real systemd 252 (nspawn, host index 100): it tails a root:adm 0640 file into the
 * Loki-compatible receiver and keeps positions in /var/lib/tailflow; readiness through sd_notify,
 * STATUS, watchdog, journald priorities, reload (new glob, positions kept), clean stop, packet
 * sampling with only CAP_NET_RAW, and what happens without it. The receiver and the sFlow
 * collector listen on the host's veth peer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceIT {
    private static final String UNIT = AgentInstall.UNIT;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TestHosts hosts;
    private static TestHost host;
    private static SflowCounter collector;
    private static LokiReceiver loki;

    @BeforeAll
    static void boot() throws Exception {
        hosts = TestHosts.boot(List.of(100));
        host = hosts.get(0);
        AgentInstall.install(host);
        collector = SflowCounter.on(host.gateway());
        loki = LokiReceiver.start(host.gateway(), 0);
        host.putFile(AgentInstall.CONFIG, config("/var/log/tf/*.log"), "0644");
        // A log only root and group adm may read: the agent reads it through SupplementaryGroups=adm.
        sh("mkdir -p /var/log/tf && printf 'first line\\n' > /var/log/tf/app.log"
                + " && chown root:adm /var/log/tf/app.log && chmod 0640 /var/log/tf/app.log");
    }

    @AfterAll
    static void teardown() throws Exception {
        try {
            if (collector != null) {
                collector.close();
            }
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

    static String config(String glob) {
        return config(glob, false);
    }

    static String config(String glob, boolean promiscuous) {
        return config(glob, promiscuous, collector.port());
    }

    static String config(String glob, boolean promiscuous, int collectorPort) {
        return """
                server:
                  http_listen_port: 9080
                positions:
                  filename: /var/lib/tailflow/positions.yaml
                clients:
                  - url: %4$s
                scrape_configs:
                  - job_name: system
                    static_configs:
                      - targets: [localhost]
                        labels:
                          job: varlogs
                          __path__: %3$s
                sflow:
                  polling: 2
                  sampling: 2
                  collectors:
                    - ip: %1$s
                      udpport: %2$d
                  pcap:
                    - dev: eth0
                      promisc: %5$s
                """.formatted(host.gateway(), collectorPort, glob, loki.pushUrl(), promiscuous ? "on" : "off");
    }

    @Test
    @Order(1)
    void activeOnlyAfterReadyWithStatusWatchdogAndJournalPriorities() {
        sh("systemctl start " + UNIT); // Type=notify: returns once READY=1 arrived
        assertThat(show("ActiveState")).isEqualTo("active");
        assertThat(show("SubState")).isEqualTo("running");
        // The one-line summary; it is refreshed every 10 s, so wait for the line to have arrived.
        await(() -> lokiHas("first line"), "the root:adm 0640 file's line at the receiver");
        await(() -> show("StatusText").matches("tailing 1 files, [0-9.]+ lines/s, 1 entries sent, last push \\d+s ago; sflow: .*"),
                "a STATUS= line counting the shipped entry");
        // WATCHDOG=1 is sent at once and then every WatchdogSec/2: systemd records the last one.
        await(() -> !show("WatchdogTimestampMonotonic").equals("0"), "a WATCHDOG=1 from the agent");
        assertThat(show("User")).isEqualTo("tailflow");

        // <N> prefixes reach journald as priorities: notice lines at 5, info at 6, no timestamps.
        String notices = sh("journalctl -u " + UNIT + " --no-pager -o cat -p notice..notice");
        assertThat(notices).contains("ServiceDaemon: started");
        assertThat(notices).doesNotContain("OpsHttpServer");
        String info = sh("journalctl -u " + UNIT + " --no-pager -o cat -p info..info");
        assertThat(info).contains("OpsHttpServer: ops HTTP listening");
        assertThat(info).doesNotContainPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:");
    }

    @Test
    @Order(2)
    void activationWaitsForTheAgentsReadyNotification() {
        // systemd logs "Started" when READY=1 arrives: after the agent's own start-up lines,
        // which a Type=simple unit would log ~2 s before the JVM printed anything.
        sh("systemctl start " + UNIT);
        String invocation = show("InvocationID");
        long started = journalTime("_PID=1 UNIT=" + UNIT + " JOB_TYPE=start JOB_RESULT=done");
        long agentUp = journalTime("_SYSTEMD_INVOCATION_ID=" + invocation + " -g 'ops HTTP listening'");
        assertThat(started).isGreaterThan(agentUp);
        sh("systemctl stop " + UNIT);

        // The control: the same agent with NOTIFY_SOCKET removed from its environment never sends
        // READY=1, and systemd gives up at TimeoutStartSec instead of calling it active.
        AgentInstall.dropIn(host, "no-notify", "[Service]\nExecStart=\nExecStart=/usr/bin/env -u NOTIFY_SOCKET "
                + "/opt/tailflow/current/bin/agent --config " + AgentInstall.CONFIG + "\nTimeoutStartSec=8s\n");
        try {
            ExecResult start = host.run("systemctl start " + UNIT, WAIT);
            assertThat(start.exitCode()).isNotZero();
            assertThat(show("Result")).isEqualTo("timeout");
        } finally {
            AgentInstall.removeDropIn(host, "no-notify");
        }
    }

    /** The __REALTIME_TIMESTAMP (µs) of the last journal entry matching {@code match}. */
    private static long journalTime(String match) {
        String ts = sh("journalctl --no-pager -o export -n 1 " + match + " | sed -n 's/^__REALTIME_TIMESTAMP=//p'").strip();
        assertThat(ts).as("a journal entry matching %s", match).isNotEmpty();
        return Long.parseLong(ts);
    }

    @Test
    @Order(3)
    void samplesPacketsOnTheHostsInterfaceWithOnlyCapNetRaw() {
        sh("systemctl start " + UNIT);
        int before = collector.flowSamples();
        // Traffic out of eth0 from inside the host; 1-in-2 sampling of 300 packets.
        sh("for i in $(seq 300); do echo x > /dev/udp/" + host.gateway() + "/9; done");
        await(() -> collector.flowSamples() - before >= 20, "flow samples at the collector");
        await(() -> collector.counterSamples() > 0, "counter samples at the collector");
        assertThat(collector.malformed()).isZero();
        assertThat(sh("journalctl -u " + UNIT + " --no-pager -o cat")).doesNotContain("cannot capture");
    }

    @Test
    @Order(4)
    void reloadPicksUpANewGlobKeepsPositionsAndSurvivesABadConfig() throws Exception {
        sh("systemctl start " + UNIT);
        String pid = show("MainPID");
        sh("echo 'before reload' >> /var/log/tf/app.log");
        await(() -> lokiHas("before reload"), "the line written before the reload");

        sh("mkdir -p /var/log/tf2 && echo 'in the new directory' > /var/log/tf2/new.log"
                + " && chown root:adm /var/log/tf2/new.log && chmod 0640 /var/log/tf2/new.log");
        try (SflowCounter newCollector = SflowCounter.on(host.gateway())) {
            host.putFile(AgentInstall.CONFIG, config("/var/log/tf*/*.log", false, newCollector.port()), "0644");
            sh("systemctl reload " + UNIT);
            await(() -> journal().contains("ServiceDaemon: config reloaded"), "config reloaded");
            await(() -> lokiHas("in the new directory"), "a line from the file the new glob matches");
            await(() -> newCollector.counterSamples() > 0, "counter samples at the collector the reload added");
        }
        sh("echo 'after reload' >> /var/log/tf/app.log");
        await(() -> lokiHas("after reload"), "the line written after the reload");
        await(() -> show("ActiveState").equals("active"), "active again after the reload");
        assertThat(show("MainPID")).isEqualTo(pid);
        // Positions kept: nothing that was shipped before the reload was shipped again.
        assertThat(loki.duplicates()).isZero();
        assertThat(lokiCount("first line")).isEqualTo(1);
        assertThat(lokiCount("before reload")).isEqualTo(1);

        host.putFile(AgentInstall.CONFIG, "clients: [\n", "0644");
        try {
            badConfigKeepsTheOldOne(pid);
        } finally {
            host.putFile(AgentInstall.CONFIG, config("/var/log/tf/*.log"), "0644");
        }
    }

    private static void badConfigKeepsTheOldOne(String pid) {
        sh("systemctl reload " + UNIT);
        await(() -> journal().contains("reload failed, still running on the previous config: /etc/tailflow/agent.yaml:"),
                "the reload failure naming the file");
        await(() -> show("ActiveState").equals("active"), "active on the old config");
        assertThat(show("MainPID")).isEqualTo(pid);
        // Still the config of the good reload: both files tailed, both shipping.
        await(() -> show("StatusText").startsWith("tailing 2 files"), "the previous config's two files tailed");
        sh("echo 'on the old config' >> /var/log/tf/app.log && echo 'also on the old config' >> /var/log/tf2/new.log");
        await(() -> lokiHas("on the old config") && lokiHas("also on the old config"), "lines shipped on the old config");
    }

    @Test
    @Order(5)
    void stopDrainsAndExitsZeroWithPositionsWritten() {
        sh("systemctl start " + UNIT);
        String invocation = show("InvocationID");
        sh("echo 'just before stop' >> /var/log/tf/app.log");
        await(() -> lokiHas("just before stop"), "the last line");
        sh("systemctl stop " + UNIT);
        String size = sh("stat -c %s /var/log/tf/app.log").strip();
        String positions = sh("cat /var/lib/tailflow/positions.yaml");
        assertThat(positions).contains("\"/var/log/tf/app.log\" : \"" + size + "\"");
        // StateDirectory= made it the service user's; UMask=0077 kept it private.
        assertThat(sh("stat -c '%U %a' /var/lib/tailflow /var/lib/tailflow/positions.yaml"))
                .isEqualTo("tailflow 700\ntailflow 600\n");
        assertThat(show("Result")).isEqualTo("success");
        String exit = sh("systemctl show -p ExecMainCode -p ExecMainStatus -p ExecMainExitTimestamp " + UNIT);
        assertThat(exit).as(exit).contains("ExecMainStatus=0\n");
        // It exited by itself with 0: systemd did not have to kill it, and did not see a signal death.
        String systemd = sh("journalctl --no-pager -o cat _PID=1 UNIT=" + UNIT + " -n 5");
        assertThat(systemd).contains("Deactivated successfully").doesNotContain("Killing").doesNotContain("code=killed");
        assertThat(journal(invocation)).contains("ServiceDaemon: stopping: draining", "ServiceDaemon: stopped");

        // A clean stop left the launcher's AppCDS archive in the state directory; the next start maps it.
        assertThat(sh("ls /var/lib/tailflow")).containsPattern("agent-\\d+\\.jsa");
        sh("systemctl start " + UNIT);
        assertThat(sh("grep -c 'agent-[0-9]*\\.jsa' /proc/" + show("MainPID") + "/maps").strip()).isNotEqualTo("0");
    }

    @Test
    @Order(6)
    void withoutCapNetRawSamplingFailsClearlyAndTheAgentStaysUp() {
        // An empty assignment resets the list: no capabilities at all.
        AgentInstall.dropIn(host, "no-caps", "[Service]\nAmbientCapabilities=\nCapabilityBoundingSet=\n");
        try {
            sh("systemctl start " + UNIT);
            await(() -> journal().contains("sflow: cannot capture on eth0"), "the capture failure in the journal");
            String errors = sh("journalctl -u " + UNIT + " --no-pager -o cat -p err..err");
            assertThat(errors).contains("sflow: cannot capture on eth0").contains("CAP_NET_RAW");
            assertThat(show("ActiveState")).isEqualTo("active");
            sh("echo 'no capabilities needed for this' >> /var/log/tf/app.log");
            await(() -> lokiHas("no capabilities needed for this"), "logs flowing without CAP_NET_RAW");
        } finally {
            host.run("systemctl stop " + UNIT);
            AgentInstall.removeDropIn(host, "no-caps");
        }
    }

    @Test
    @Order(8)
    void promiscuousCaptureNeedsNoMoreThanCapNetRaw() {
        // libpcap turns promiscuous mode on with PACKET_ADD_MEMBERSHIP on its own packet socket,
        // which the kernel does not check against CAP_NET_ADMIN: the unit's CAP_NET_RAW is enough.
        host.putFile(AgentInstall.CONFIG, config("/var/log/tf/*.log", true), "0644");
        try {
            assertThat(promiscuous()).isFalse();
            sh("systemctl start " + UNIT);
            int before = collector.flowSamples();
            sh("for i in $(seq 100); do echo x > /dev/udp/" + host.gateway() + "/9; done");
            await(() -> collector.flowSamples() > before, "flow samples in promiscuous mode");
            assertThat(promiscuous()).isTrue();
            assertThat(journal()).doesNotContain("cannot capture");
            sh("systemctl stop " + UNIT);
            assertThat(promiscuous()).isFalse();
        } finally {
            host.putFile(AgentInstall.CONFIG, config("/var/log/tf/*.log"), "0644");
        }
    }

    @Test
    @Order(9)
    void memoryDenyWriteExecuteStopsTheJvmWhichIsWhyTheUnitLeavesItOut() {
        // The unit's comment says so; this is the evidence (the JIT needs writable+executable memory).
        AgentInstall.dropIn(host, "mdwe", "[Service]\nMemoryDenyWriteExecute=yes\nRestart=no\n");
        try {
            assertThat(host.run("systemctl start " + UNIT, WAIT).exitCode()).isNotZero();
            assertThat(show("ActiveState")).isEqualTo("failed");
        } finally {
            AgentInstall.removeDropIn(host, "mdwe");
            host.run("systemctl reset-failed " + UNIT);
        }
    }

    @Test
    @Order(10)
    void aPushThatNeverReturnsStopsTheWatchdogAndSystemdRestartsTheAgent() throws Exception {
        // Loki answers the headers and trickles the body, a byte per 0.5 s: each read is within the
        // client's timeout, so the sender stays in that answer. With timeout: 2s
        // the sender's heartbeat allows 2 x 2 s + 30 s; then WATCHDOG=1 stops and, WatchdogSec=5s
        // later, systemd kills the agent (SIGABRT) and Restart=on-failure starts it again.
        try (StallingLoki stalling = new StallingLoki(host.gateway())) {
            host.putFile(AgentInstall.CONFIG, config("/var/log/tf/*.log").replace(
                    "  - url: " + loki.pushUrl(), "  - url: " + stalling.pushUrl() + "\n    timeout: 2s"), "0644");
            AgentInstall.dropIn(host, "watchdog", "[Service]\nWatchdogSec=5s\nRestartSec=1s\n");
            sh("systemctl start " + UNIT);
            String first = show("InvocationID");
            sh("echo 'line for a wedged Loki' >> /var/log/tf/app.log");
            await(() -> stalling.pushes() > 0, "a push to the stalling Loki", WAIT);
            await(() -> !show("InvocationID").equals(first) && show("ActiveState").equals("active"),
                    "a restarted agent", Duration.ofSeconds(120));
            String journal = journal(first);
            assertThat(journal).contains("not sending WATCHDOG=1").contains("logs-sender-");
            assertThat(sh("journalctl --no-pager -o cat _PID=1 UNIT=" + UNIT)).containsIgnoringCase("watchdog timeout");
            assertThat(Integer.parseInt(show("NRestarts"))).isPositive();
        } finally {
            AgentInstall.removeDropIn(host, "watchdog");
            host.putFile(AgentInstall.CONFIG, config("/var/log/tf/*.log"), "0644");
        }
    }

    // ---- helpers

    /**
     * eth0's promiscuity count (IFLA_PROMISCUITY) is above 0. The PROMISC flag that {@code ip link}
     * prints shows only what SIOCSIFFLAGS set, not what a packet socket's membership asked for.
     */
    private static boolean promiscuous() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("promiscuity (\\d+)")
                .matcher(sh("ip -d link show eth0"));
        assertThat(m.find()).as("ip -d link shows the promiscuity count").isTrue();
        return Integer.parseInt(m.group(1)) > 0;
    }

    private static boolean lokiHas(String line) {
        return lokiCount(line) > 0;
    }

    private static long lokiCount(String line) {
        return loki.entries().stream().filter(e -> e.line().equals(line)).count();
    }

    private static String sh(String command) {
        return host.run(command, WAIT).requireOk().stdout();
    }

    private static String show(String property) {
        return sh("systemctl show -p " + property + " --value " + UNIT).strip();
    }

    /** The agent's journal since the unit's current start. */
    private static String journal() {
        return journal(show("InvocationID"));
    }

    private static String journal(String invocationId) {
        return sh("journalctl --no-pager -o cat _SYSTEMD_INVOCATION_ID=" + invocationId);
    }

    private static void await(BooleanSupplier condition, String what) {
        await(condition, what, WAIT);
    }

    private static void await(BooleanSupplier condition, String what, Duration wait) {
        Wait.upTo(wait, what).every(Duration.ofMillis(200)).until(condition::getAsBoolean,
                () -> "journal:\n" + host.run("journalctl -u " + UNIT + " --no-pager -n 60").stdout());
    }
}

package tailflow.systemtest.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
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

/**
 * The agent under the shipped hardened unit (packaging/tailflow-agent.service, unchanged) in a
 * host with a real systemd 252 (nspawn, host index 100): readiness through sd_notify, STATUS,
 * watchdog, journald priorities, reload, clean stop, packet sampling with only CAP_NET_RAW, and
 * what happens without it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceIT {
    private static final String UNIT = AgentInstall.UNIT;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TestHosts hosts;
    private static TestHost host;
    private static SflowCounter collector;

    @BeforeAll
    static void boot() throws Exception {
        hosts = TestHosts.boot(List.of(100));
        host = hosts.get(0);
        AgentInstall.install(host);
        collector = new SflowCounter(host.gateway());
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
        return """
                server:
                  http_listen_port: 9080
                positions:
                  filename: /var/lib/tailflow/positions.yaml
                clients:
                  - url: http://%1$s:3100/loki/api/v1/push
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
                """.formatted(host.gateway(), collector.port(), glob);
    }

    @Test
    @Order(1)
    void activeOnlyAfterReadyWithStatusWatchdogAndJournalPriorities() {
        sh("systemctl start " + UNIT); // Type=notify: returns once READY=1 arrived
        assertThat(show("ActiveState")).isEqualTo("active");
        assertThat(show("SubState")).isEqualTo("running");
        assertThat(show("StatusText")).isNotBlank().doesNotContain("\n");
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
        int before = collector.flowSamples.get();
        // Traffic out of eth0 from inside the host; 1-in-2 sampling of 300 packets.
        sh("for i in $(seq 300); do echo x > /dev/udp/" + host.gateway() + "/9; done");
        await(() -> collector.flowSamples.get() - before >= 20, "flow samples at the collector");
        await(() -> collector.counterSamples.get() > 0, "counter samples at the collector");
        assertThat(collector.malformed.get()).isZero();
        assertThat(sh("journalctl -u " + UNIT + " --no-pager -o cat")).doesNotContain("cannot capture");
    }

    @Test
    @Order(4)
    void reloadKeepsTheProcessAndABadConfigKeepsTheOldOne() {
        sh("systemctl start " + UNIT);
        String pid = show("MainPID");
        host.putFile(AgentInstall.CONFIG, config("/var/log/tf/*.log"), "0644");
        sh("systemctl reload " + UNIT);
        await(() -> journal().contains("ServiceDaemon: config reloaded"), "config reloaded");
        await(() -> show("ActiveState").equals("active"), "active again after the reload");
        assertThat(show("MainPID")).isEqualTo(pid);

        host.putFile(AgentInstall.CONFIG, "clients: [\n", "0644");
        sh("systemctl reload " + UNIT);
        await(() -> journal().contains("reload failed, still running on the previous config: /etc/tailflow/agent.yaml:"),
                "the reload failure naming the file");
        await(() -> show("ActiveState").equals("active"), "active on the old config");
        assertThat(show("MainPID")).isEqualTo(pid);
        host.putFile(AgentInstall.CONFIG, config("/var/log/tf/*.log"), "0644");
    }

    @Test
    @Order(5)
    void stopDrainsAndExitsZero() {
        sh("systemctl start " + UNIT);
        String invocation = show("InvocationID");
        sh("systemctl stop " + UNIT);
        assertThat(show("Result")).isEqualTo("success");
        String exit = sh("systemctl show -p ExecMainCode -p ExecMainStatus -p ExecMainExitTimestamp " + UNIT);
        assertThat(exit).as(exit).contains("ExecMainStatus=0\n");
        // It exited by itself with 0: systemd did not have to kill it, and did not see a signal death.
        String systemd = sh("journalctl --no-pager -o cat _PID=1 UNIT=" + UNIT + " -n 5");
        assertThat(systemd).contains("Deactivated successfully").doesNotContain("Killing").doesNotContain("code=killed");
        assertThat(journal(invocation)).contains("ServiceDaemon: stopping: draining", "ServiceDaemon: stopped");
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
        } finally {
            host.run("systemctl stop " + UNIT);
            AgentInstall.removeDropIn(host, "no-caps");
        }
    }

    // ---- helpers

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
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no " + what + " within " + WAIT + "; journal:\n"
                        + host.run("journalctl -u " + UNIT + " --no-pager -n 60").stdout());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}

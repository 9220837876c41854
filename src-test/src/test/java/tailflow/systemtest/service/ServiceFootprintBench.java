package tailflow.systemtest.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tailflow.agent.sflow.SflowDecoder;
import tailflow.systemtest.hosts.TestHost;
import tailflow.systemtest.hosts.TestHosts;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.UdpCollector;
import tailflow.systemtest.support.Wait;

/**
 * Benchmark, on demand (src-test/bench/service/under-unit.sh): the agent's footprint under the
 * shipped unit in a real systemd host (nspawn host 159), idling with 10 tailed files and sampling
 * eth0: exec to READY=1, VmRSS and VmHWM after an idle period. The launcher's flags against a
 * baseline measured in the same run and host: the same launcher with the C2 compiler back
 * (TAILFLOW_JAVA_OPTS, as the launcher's comment describes). Prints the load average, since this
 * machine is shared and the numbers are noisy. Moved here from ServiceIT, where a measurement
 * could not fail.
 */
public final class ServiceFootprintBench {
    private static final String UNIT = AgentInstall.UNIT;
    private static final Map<String, String> VARIANTS = Map.of(
            "c2 (baseline)", "-XX:TieredStopAtLevel=4 -XX:CICompilerCount=2",
            "launcher", "");

    private ServiceFootprintBench() {}

    public static void main(String[] args) throws Exception {
        int idleSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (TestHosts hosts = TestHosts.boot(List.of(159));
                UdpCollector collector = UdpCollector.on(hosts.get(0).gateway());
                LokiReceiver loki = LokiReceiver.start(hosts.get(0).gateway(), 0)) {
            TestHost host = hosts.get(0);
            AgentInstall.install(host);
            host.run("mkdir -p /var/log/tf10 && for i in $(seq 10); do seq -f \"file $i line %g\" 100 > /var/log/tf10/f$i.log; done"
                    + " && chown root:adm /var/log/tf10/*.log && chmod 0640 /var/log/tf10/*.log").requireOk();
            host.putFile(AgentInstall.CONFIG, """
                    server: {http_listen_port: 9080}
                    positions: {filename: /var/lib/tailflow/positions.yaml}
                    clients: [{url: "%s"}]
                    scrape_configs:
                      - job_name: bench
                        static_configs: [{targets: [localhost], labels: {job: bench, __path__: /var/log/tf10/*.log}}]
                    sflow:
                      polling: 2
                      sampling: 2
                      collectors: [{ip: %s, udpport: %d}]
                      pcap: [{dev: eth0}]
                    """.formatted(loki.pushUrl(), host.gateway(), collector.port()), "0644");
            Measurement baseline = measure(host, loki, collector, "c2 (baseline)", idleSeconds);
            Measurement launcher = measure(host, loki, collector, "launcher", idleSeconds);
            System.out.println(baseline);
            System.out.println(launcher);
            System.out.printf("launcher / baseline: start-up %.2f, VmRSS %.2f, VmHWM %.2f%n",
                    launcher.startupMs / (double) baseline.startupMs, launcher.rssKb / (double) baseline.rssKb,
                    launcher.hwmKb / (double) baseline.hwmKb);
        }
    }

    record Measurement(String variant, long startupMs, long rssKb, long hwmKb, String loadAverage) {
        @Override
        public String toString() {
            return "%-14s exec to READY=1 %5d ms, VmRSS %6d kB, VmHWM %6d kB (load average %s)"
                    .formatted(variant, startupMs, rssKb, hwmKb, loadAverage);
        }
    }

    private static Measurement measure(TestHost host, LokiReceiver loki, UdpCollector collector, String variant,
                                       int idleSeconds) throws InterruptedException {
        AgentInstall.dropIn(host, "bench", "[Service]\nEnvironment=\"TAILFLOW_JAVA_OPTS=" + VARIANTS.get(variant) + "\"\n");
        host.run("rm -f /var/lib/tailflow/positions.yaml /var/lib/tailflow/*.jsa").requireOk();
        int shippedBefore = loki.storedCount();
        int datagramsBefore = collector.count();
        host.run("systemctl start " + UNIT).requireOk();
        try {
            long startupMs = (Long.parseLong(show(host, "ActiveEnterTimestampMonotonic"))
                    - Long.parseLong(show(host, "ExecMainStartTimestampMonotonic"))) / 1000;
            Supplier<String> journal = () -> host.run("journalctl -u " + UNIT + " --no-pager -n 40").stdout();
            Wait.upTo(Duration.ofSeconds(60), "all 10 files shipped").until(() -> loki.storedCount() - shippedBefore >= 1000, journal::get);
            host.run("for i in $(seq 100); do echo x > /dev/udp/" + host.gateway() + "/9; done").requireOk();
            Wait.upTo(Duration.ofSeconds(60), "a flow sample").until(() -> collector.datagrams().stream().skip(datagramsBefore)
                    .anyMatch(d -> !SflowDecoder.decode(d, d.length).flowSamples().isEmpty()), journal::get);
            Thread.sleep(idleSeconds * 1000L); // the idle period is what is measured
            String status = host.run("grep -E '^(VmRSS|VmHWM):' /proc/" + show(host, "MainPID") + "/status").requireOk().stdout();
            return new Measurement(variant, startupMs, kb(status, "VmRSS"), kb(status, "VmHWM"),
                    host.run("cut -d' ' -f1-3 /proc/loadavg").stdout().strip());
        } finally {
            host.run("systemctl stop " + UNIT + "; systemctl reset-failed " + UNIT);
            AgentInstall.removeDropIn(host, "bench");
        }
    }

    private static long kb(String status, String field) {
        return status.lines().filter(l -> l.startsWith(field + ":"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }

    private static String show(TestHost host, String property) {
        return host.run("systemctl show -p " + property + " --value " + UNIT).requireOk().stdout().strip();
    }
}

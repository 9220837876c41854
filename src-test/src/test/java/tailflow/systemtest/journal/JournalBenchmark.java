package tailflow.systemtest.journal;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tailflow.agent.config.JournalConfig;
import tailflow.agent.journal.JournalMetrics;
import tailflow.agent.journal.JournalTail;
import tailflow.agent.ops.metrics.Metrics;
import tailflow.agent.relabel.RelabelAction;
import tailflow.agent.relabel.RelabelRule;
import tailflow.agent.relabel.Relabeler;
import tailflow.systemtest.logs.AgentProcess;
import tailflow.systemtest.logs.LogsBenchmark;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.FreePort;

/**
 * Journal benchmark (on demand, not in CI; src-test/bench/journal/run.sh): a cached journal of
 * 10^6 realistic entries, read in the same run by {@code journalctl -o export > /dev/null} (the
 * baseline: libsystemd's own reader doing the least work) and by the agent's journal reader
 * (JNA, labels, Promtail's example relabelling) in this JVM; prints entries/s, CPU seconds per
 * 10^6 entries, the ratio to journalctl and the load average.
 */
public final class JournalBenchmark {

    public static void main(String[] args) throws Exception {
        long entries = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        long t = System.nanoTime();
        Path dir = BenchJournal.ensure(entries);
        System.out.printf("journal %s: %d entries, %.0f MiB on disk (ready in %.0f s)%n", dir, entries,
                size(dir) / 1048576.0, (System.nanoTime() - t) / 1e9);
        System.out.println("load average before: " + Files.readString(Path.of("/proc/loadavg")).strip());

        double[] jctl = journalctl(dir, entries);
        System.out.printf("journalctl -o export > /dev/null: %.0f entries/s, %.2f CPU s per 10^6 entries%n", jctl[0], jctl[1]);
        double[] reader = reader(dir, entries);
        System.out.printf("agent journal reader (JNA + labels + relabel, 1 thread): %.0f entries/s, %.2f CPU s per 10^6 entries%n",
                reader[0], reader[1]);
        System.out.printf("ratio reader/journalctl: CPU per entry %.2f%n", reader[1] / jctl[1]);
        double[] agent = agent(dir, entries);
        System.out.printf("agent end to end (packaged agent, journal job with Promtail's example relabelling, protobuf+snappy"
                + " pushes to a counting receiver on 127.0.0.1): %.0f entries/s, %.2f CPU s per 10^6 entries, peak RSS %.0f MiB%n",
                agent[0], agent[1], agent[2]);
        System.out.printf("ratio agent/journalctl: CPU per entry %.2f (target <= 2) %s%n", agent[1] / jctl[1],
                agent[1] / jctl[1] <= 2 ? "MET" : "NOT MET");
        System.out.println("load average after: " + Files.readString(Path.of("/proc/loadavg")).strip());
    }

    /**
     * {entries/s, CPU s per 10^6, VmHWM MiB} of the packaged agent shipping the whole journal, from
     * its first entry at the receiver to the last (start-up excluded, as in the logs benchmark).
     */
    static double[] agent(Path dir, long entries) throws Exception {
        Path work = Files.createTempDirectory("tailflow-journal-bench");
        // the receiver's clock stands just after the journal's entries, so Loki's max age accepts them
        java.time.Clock at = java.time.Clock.fixed(java.time.Instant.ofEpochSecond(
                BenchJournal.T0_MICROS / 1_000_000 + entries / 10_000 + 60), java.time.ZoneOffset.UTC);
        LokiReceiver.Limits limits = LokiReceiver.Limits.lokiDefaults();
        try (LokiReceiver loki = LokiReceiver.startCounting("127.0.0.1", 0, limits, at)) {
            int port = FreePort.pick();
            Path config = work.resolve("agent.yaml");
            Files.writeString(config, """
                    server:
                      http_listen_address: 127.0.0.1
                      http_listen_port: %d
                    positions:
                      filename: %s
                    clients:
                      - url: %s
                    scrape_configs:
                      - job_name: journal
                        journal:
                          max_age: 87600h
                          path: %s
                          labels:
                            job: systemd-journal
                        relabel_configs:
                          - source_labels: ['__journal__systemd_unit']
                            target_label: 'unit'
                    """.formatted(port, work.resolve("positions.yaml"), loki.pushUrl(), dir));
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile("JournalBenchmark"), port)) {
                agent.start();
                long pid = agent.pid();
                agent.await(Duration.ofMinutes(2), "first entries", () -> loki.entriesReceived() > 0);
                long t0 = System.nanoTime();
                long e0 = loki.entriesReceived();
                long cpu0 = LogsBenchmark.cpuTicks(pid);
                agent.await(Duration.ofMinutes(30), "all " + entries + " entries", () -> loki.entriesReceived() >= entries);
                double secs = (System.nanoTime() - t0) / 1e9;
                double cpu = (LogsBenchmark.cpuTicks(pid) - cpu0) / 100.0;
                double hwm = LogsBenchmark.vmHwmMiB(pid);
                agent.terminate(Duration.ofSeconds(30));
                long n = loki.entriesReceived() - e0;
                System.out.printf("receiver: %s%n", loki.stats());
                return new double[] {n / secs, cpu / (n / 1e6), hwm};
            }
        } finally {
            try (var s = Files.walk(work)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static long size(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** {entries/s, CPU s per 10^6} of journalctl's export of the whole journal to /dev/null. */
    static double[] journalctl(Path dir, long entries) throws Exception {
        Path times = Files.createTempFile("journalctl-time", ".txt");
        try {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("bash", "-c", "TIMEFORMAT='%U %S'; { time journalctl -D '" + dir
                    + "' -o export > /dev/null; } 2> " + times).inheritIO().start();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("journalctl failed");
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            String[] us = Files.readString(times).strip().split("\\s+");
            double cpu = Double.parseDouble(us[0]) + Double.parseDouble(us[1]);
            return new double[] {entries / secs, cpu / (entries / 1e6)};
        } finally {
            Files.deleteIfExists(times);
        }
    }

    /** {entries/s, CPU s per 10^6} of the agent's JournalTail reading everything on this thread. */
    static double[] reader(Path dir, long entries) {
        JournalConfig cfg = new JournalConfig(Duration.ofDays(3_650), false, Optional.of(dir), List.of(),
                Map.of("job", "systemd-journal"));
        Relabeler relabel = new Relabeler(List.of(
                RelabelRule.of(List.of("__journal__systemd_unit"), ";", "(.*)", 0, "unit", "$1", RelabelAction.REPLACE)));
        long[] count = {0};
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        try (JournalTail tail = new JournalTail("bench", cfg, relabel, () -> System.currentTimeMillis() * 1000,
                new JournalMetrics(new Metrics()))) {
            int idle = 0;
            while (count[0] < entries && idle < 3) {
                int n = tail.read(System.nanoTime(), 4096, () -> false, e -> count[0]++);
                idle = n == 0 ? idle + 1 : 0;
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9;
        if (count[0] != entries) {
            throw new IllegalStateException("read " + count[0] + " of " + entries + " entries");
        }
        return new double[] {entries / secs, cpu / (entries / 1e6)};
    }
}

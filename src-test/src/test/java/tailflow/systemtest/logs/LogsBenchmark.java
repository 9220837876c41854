package tailflow.systemtest.logs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.FreePort;

/**
 * Logs benchmark (on demand, not in CI; run by src-test/bench/logs/run.sh): the packaged agent
 * ships a pre-generated file of realistic ~120-byte syslog lines into the receiver on 127.0.0.1,
 * and in the same run the floor (read + split + snappy-compress with the agent's encoder, one thread,
 * no HTTP) is measured; prints MiB/s, lines/s, CPU seconds per GiB (whole process and per thread), peak
 * RSS, GC count, pause and allocation per GiB (from the agent's -Xlog:gc file that run.sh asks for),
 * agent/floor and the load average before and after.
 *
 * <p>Sinks: nginx answering 204 without decoding (the sink; Debian {@code nginx-light}, a bench
 * prerequisite) and the decoding receiver, which also checks that the agent sent exactly one entry
 * per line; both by default when nginx is installed, else the receiver ({@code --sink nginx|receiver|nginx,receiver}).
 *
 * <p>Arguments: size in MiB (default 1024), then optionally {@code --sink LIST}, {@code --stages}
 * and {@code --entry-path} (with --stages: a third run with one no-op stage, {@link #NO_OP_STAGE}).
 * With --stages the agent runs a second time on the same file in the same run with a regex + labels + timestamp pipeline
 * ({@link #STAGES}), and the CPU seconds per GiB of both runs and their ratio are printed. The
 * file is cached under /var/cache/tailflow-test.
 */
public final class LogsBenchmark {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    /** The --stages pipeline: parse the syslog prefix, label by program, timestamp from the line. */
    static final String STAGES = """
                pipeline_stages:
                  - regex:
                      expression: '^(?P<ts>\\w{3} +\\d+ \\d\\d:\\d\\d:\\d\\d) (?P<host>\\S+) (?P<prog>[A-Za-z]+)'
                  - labels: {prog: }
                  - timestamp: {source: ts, format: 'Jan _2 15:04:05'}
            """;

    /**
     * The --entry-path pipeline: one stage that changes nothing. Any job with stages leaves the
     * plain path (bytes copied into the batch) for the entry path (line decoded into a String,
     * Entry, Chain, StagesStage, re-encoded by the batch): this run measures that part alone, so
     * the stages' own share of the --stages figure shows.
     */
    static final String NO_OP_STAGE = """
                pipeline_stages:
                  - labeldrop: [tailflow_bench_no_such_label]
            """;

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        boolean stages = java.util.List.of(args).contains("--stages");
        boolean entryPath = java.util.List.of(args).contains("--entry-path");
        String sinkArg = null;
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals("--sink")) {
                sinkArg = args[i + 1];
            }
        }
        List<String> sinks = sinkArg != null ? List.of(sinkArg.split(","))
                : NginxSink.installed() ? List.of("nginx", "receiver") : List.of("receiver");
        if (sinkArg == null && !NginxSink.installed()) {
            System.out.println("nginx not installed (apt-get install nginx-light): only the decoding receiver is measured");
        }
        Path file = generate(mib);
        long bytes = Files.size(file);
        long lines = countLines(file);
        String load0 = loadAverage();
        System.out.printf("file %s: %.0f MiB, %d lines (avg %.0f B)%n", file, bytes / 1048576.0, lines, (double) bytes / lines);

        double[] floor = floor(file);
        System.out.printf("floor (read+split+snappy, 1 thread): %.1f MiB/s, %.2f CPU s/GiB%n", floor[0], floor[1]);

        double[] agent = null;
        for (String sink : sinks) {
            double[] a = agent(file, lines, bytes, "", sink);
            agent = agent == null ? a : agent;
            System.out.printf("agent end to end into %s: %.1f MiB/s, %.0f lines/s, %.2f CPU s/GiB, peak RSS %.1f MiB (VmHWM), "
                    + "startup excluded%n", sink, a[0], a[1], a[2], a[3]);
            System.out.printf("ratio agent/floor (%s): throughput %.2f, CPU per GiB %.2f%n", sink, a[0] / floor[0], a[2] / floor[1]);
            System.out.printf("targets (%s): >= 140 MiB/s %s, RSS <= 64 MiB %s, <= 7 CPU s/GiB %s%n", sink,
                    a[0] >= 140 ? "MET" : "NOT MET", a[3] <= 64 ? "MET" : "NOT MET", a[2] <= 7 ? "MET" : "NOT MET");
        }
        if (stages) {
            double[] staged = agent(file, lines, bytes, STAGES, sinks.get(0));
            System.out.printf("agent with regex+labels+timestamp stages: %.1f MiB/s, %.0f lines/s, %.2f CPU s/GiB, peak RSS"
                    + " %.1f MiB%n", staged[0], staged[1], staged[2], staged[3]);
            System.out.printf("ratio stages/plain (same run): CPU per GiB %.2f (target <= 2: %s), throughput %.2f%n",
                    staged[2] / agent[2], staged[2] / agent[2] <= 2 ? "MET" : "NOT MET", staged[0] / agent[0]);
            if (entryPath) {
                double[] noOp = agent(file, lines, bytes, NO_OP_STAGE, sinks.get(0));
                System.out.printf("agent with one no-op stage (the entry path alone): %.1f MiB/s, %.2f CPU s/GiB; ratio no-op/plain"
                        + " %.2f, stages/no-op %.2f%n", noOp[0], noOp[2], noOp[2] / agent[2], staged[2] / noOp[2]);
            }
        }
        System.out.println("load average before: " + load0 + ", after: " + loadAverage() + " (cores: "
                + Runtime.getRuntime().availableProcessors() + "; other work on this machine skews the figures)");
    }

    /** Deterministic syslog-like lines, about 120 bytes each. */
    static Path generate(long mib) throws IOException {
        Path dir = Path.of(System.getProperty("tailflow.cache", "/var/cache/tailflow-test"));
        Files.createDirectories(dir);
        Path file = dir.resolve("logs-bench-" + mib + "MiB.log");
        if (Files.exists(file) && Files.size(file) >= mib * 1048576) {
            return file;
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        String[] hosts = {"web-01", "web-02", "db-01", "cache-3", "lb-1"};
        String[] progs = {"sshd[%d]: Accepted publickey for deploy from 10.0.%d.%d port %d ssh2",
            "CRON[%d]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1) %d %d %d",
            "kernel: [%d.%06d] IN=eth0 OUT= SRC=10.0.%d.%d DST=10.0.0.1 LEN=60 PROTO=TCP",
            "nginx[%d]: 10.1.%d.%d - - \"GET /api/v1/items/%d HTTP/1.1\" 200 512 \"-\" \"curl/7.88\"",
            "systemd[1]: Started session %d of user deploy (uid %d, tty %d, seat %d)."};
        Random r = new Random(42);
        long target = mib * 1048576;
        long written = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            int sec = 0;
            while (written < target) {
                String msg = String.format(progs[r.nextInt(progs.length)], r.nextInt(65536), r.nextInt(256), r.nextInt(256),
                        r.nextInt(65536));
                String line = String.format("Nov 25 %02d:%02d:%02d %s %s%n", sec / 3600 % 24, sec / 60 % 60, sec % 60,
                        hosts[r.nextInt(hosts.length)], msg);
                if (r.nextInt(50) == 0) {
                    sec++;
                }
                byte[] b = line.getBytes(StandardCharsets.US_ASCII);
                out.write(b);
                written += b.length;
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    static long countLines(Path file) throws IOException {
        long n = 0;
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            while (ch.read(buf) > 0) {
                buf.flip();
                byte[] a = buf.array();
                for (int i = 0; i < buf.limit(); i++) {
                    if (a[i] == '\n') {
                        n++;
                    }
                }
                buf.clear();
            }
        }
        return n;
    }

    /** Read + split + copy lines into 1 MiB batches + snappy each batch; returns {MiB/s, CPU s/GiB}. */
    static double[] floor(Path file) throws IOException {
        tailflow.agent.loki.SnappyBlockEncoder snappy = new tailflow.agent.loki.SnappyBlockEncoder();
        byte[] batch = new byte[1 << 20];
        byte[] out = new byte[tailflow.agent.loki.SnappyBlockEncoder.maxCompressedLength(batch.length)];
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long total = 0;
        long compressed = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] buf = new byte[256 * 1024];
            ByteBuffer wrapped = ByteBuffer.wrap(buf);
            long pos = 0;
            int used = 0;
            while (true) {
                wrapped.clear();
                int n = ch.read(wrapped, pos);
                if (n <= 0) {
                    break;
                }
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        int len = i - start;
                        if (used + len > batch.length) {
                            compressed += snappy.compress(batch, 0, used, out, 0);
                            used = 0;
                        }
                        System.arraycopy(buf, start, batch, used, len);
                        used += len;
                        start = i + 1;
                    }
                }
                pos += start;
                total += start;
                if (start == 0) {
                    break;
                }
            }
            compressed += snappy.compress(batch, 0, used, out, 0);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9;
        if (compressed == 0) {
            throw new IllegalStateException("nothing compressed");
        }
        return new double[] {total / 1048576.0 / secs, cpu / (total / 1073741824.0)};
    }

    /**
     * Runs the packaged agent over the file into {@code sink} ("receiver": the decoding Loki stand-in,
     * which also checks that every line arrived once; "nginx": a 204 sink that decodes nothing); returns
     * {MiB/s, lines/s, CPU s/GiB, peak RSS MiB}.
     */
    static double[] agent(Path file, long lines, long bytes, String pipelineStages, String sink) throws Exception {
        Path dir = Files.createTempDirectory("tailflow-bench");
        try (LokiReceiver loki = sink.equals("receiver") ? LokiReceiver.startCounting("127.0.0.1", 0) : null;
                NginxSink nginx = sink.equals("nginx") ? new NginxSink(dir.resolve("nginx")) : null) {
            Path logs = dir.resolve("logs");
            Files.createDirectories(logs);
            Files.createSymbolicLink(logs.resolve("bench.log"), file);
            int port = FreePort.pick();
            Path config = TestLogDir.writeConfig(dir, loki != null ? loki.pushUrl() : nginx.pushUrl(), port, logs + "/*.log", null, null);
            // Promtail's client defaults, not the tests' short ones.
            Files.writeString(config, Files.readString(config).replace("batchwait: 200ms", "batchwait: 1s")
                    .replace("timeout: 2s", "timeout: 10s") + pipelineStages);
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile("LogsBenchmark"), port)) {
                agent.start();
                long pid = agent.pid();
                Window w = loki != null ? receiverWindow(agent, loki, lines) : nginxWindow(agent, nginx, lines, bytes);
                double hwm = vmHwmMiB(pid);
                agent.terminate(Duration.ofSeconds(30));
                double mibps = w.lineBytes / 1048576.0 / w.seconds;
                double gib = w.lineBytes / 1073741824.0;
                double cpuPerGiB = (w.cpuTicks / (double) TICKS_PER_SECOND) / gib;
                System.out.printf("sink %s: %s%n", sink, w.sinkStats);
                System.out.print("agent CPU s/GiB by thread:");
                w.threads1.entrySet().stream()
                        .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - w.threads0.getOrDefault(e.getKey(), 0L)))
                        .filter(e -> e.getValue() > 0).sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(8).forEach(e -> System.out.printf(" %s %.2f", e.getKey(), e.getValue() / 100.0 / gib));
                System.out.println();
                String gcLog = System.getProperty("tailflow.bench.gcLog");
                if (gcLog != null && Files.exists(Path.of(gcLog))) {
                    double[] gc = gcBetween(Path.of(gcLog), w.uptime0, w.uptime1);
                    System.out.printf("agent GC per GiB shipped: %.0f collections, %.0f ms pause, %.0f MiB allocated%n",
                            gc[0] / gib, gc[1] / gib, gc[2] / gib);
                }
                return new double[] {mibps, w.entries / w.seconds, cpuPerGiB, hwm};
            }
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The measured window, first push to last: its length, what it shipped, and the agent's CPU in it. */
    record Window(double seconds, double lineBytes, double entries, long cpuTicks, java.util.Map<String, Long> threads0,
            java.util.Map<String, Long> threads1, double uptime0, double uptime1, String sinkStats) {}

    /** From the first entries the receiver decoded to the last line; then checks that no line came twice. */
    static Window receiverWindow(AgentProcess agent, LokiReceiver loki, long lines) throws Exception {
        long pid = agent.pid();
        agent.await(Duration.ofMinutes(2), "first entries", () -> loki.entriesReceived() > 0);
        long t0 = System.nanoTime();
        long e0 = loki.entriesReceived();
        long b0 = loki.lineBytesReceived();
        long cpu0 = cpuTicks(pid);
        java.util.Map<String, Long> threads0 = threadTicks(pid);
        double uptime0 = agentUptimeSeconds(pid);
        agent.await(Duration.ofMinutes(30), "all " + lines + " lines", () -> loki.entriesReceived() >= lines);
        double secs = (System.nanoTime() - t0) / 1e9;
        long cpu = cpuTicks(pid) - cpu0;
        java.util.Map<String, Long> threads1 = threadTicks(pid);
        double uptime1 = agentUptimeSeconds(pid);
        double lineBytes = loki.lineBytesReceived() - b0 + (loki.entriesReceived() - e0); // + newlines
        // Exactly once, in sum: after the agent is idle, as many entries as lines, no byte more or less.
        agent.await(Duration.ofMinutes(1), "agent idle", () -> agent.metricSum("tailflow_sent_entries_total") >= lines);
        Thread.sleep(1000);
        if (loki.entriesReceived() != lines) {
            throw new IllegalStateException("receiver got " + loki.entriesReceived() + " entries for " + lines + " lines");
        }
        return new Window(secs, lineBytes, loki.entriesReceived() - e0, cpu, threads0, threads1, uptime0, uptime1,
                loki.stats() + "; exactly " + lines + " entries, each line once by count");
    }

    /**
     * From nginx's first logged push to its last (nginx's own timestamps); the agent's CPU from when the
     * access log first grew to when it stayed still and the agent counted every line as sent. Line bytes
     * in the window: the file's share carried by the pushes after the first, (n - 1) / n (nginx's
     * $request_length leaves out a body it discards, so request sizes cannot say it better).
     */
    static Window nginxWindow(AgentProcess agent, NginxSink nginx, long lines, long bytes) throws Exception {
        long pid = agent.pid();
        agent.await(Duration.ofMinutes(2), "first push", () -> {
            try {
                return nginx.accessLogSize() > 0;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long cpu0 = cpuTicks(pid);
        java.util.Map<String, Long> threads0 = threadTicks(pid);
        double uptime0 = agentUptimeSeconds(pid);
        long size = nginx.accessLogSize();
        long stillSince = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (true) {
            Thread.sleep(20);
            long now = System.nanoTime();
            long s = nginx.accessLogSize();
            if (s != size) {
                size = s;
                stillSince = now;
            } else if (now - stillSince > 300_000_000L && agent.metricSum("tailflow_sent_entries_total") >= lines) {
                break;
            } else if (now > deadline) {
                throw new IllegalStateException("agent did not send all " + lines + " lines in 30 minutes");
            }
        }
        long cpu = cpuTicks(pid) - cpu0;
        java.util.Map<String, Long> threads1 = threadTicks(pid);
        double uptime1 = agentUptimeSeconds(pid);
        List<NginxSink.Request> requests = nginx.requests();
        double secs = requests.get(requests.size() - 1).epochSeconds() - requests.get(0).epochSeconds();
        double share = (requests.size() - 1) / (double) requests.size();
        long not204 = requests.stream().filter(r -> r.status() != 204).count();
        if (not204 > 0) {
            throw new IllegalStateException(not204 + " pushes were not answered 204");
        }
        return new Window(secs, bytes * share, lines * share, cpu, threads0, threads1, uptime0, uptime1,
                requests.size() + " pushes, all answered 204");
    }

    public static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    }

    /** CPU ticks per thread name (the kernel cuts names to 15 characters; same names add up). */
    static java.util.Map<String, Long> threadTicks(long pid) throws IOException {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(comm, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    /** Seconds since the agent's process started: the time base of its -Xlog:gc uptime decoration. */
    static double agentUptimeSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double started = Long.parseLong(f[19]) / (double) TICKS_PER_SECOND; // starttime, since boot
        double now = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        return now - started;
    }

    /**
     * From a JDK 17 -Xlog:gc file, the collections whose uptime stamp lies in [from, to]: {count, pause
     * ms, MiB allocated}, allocation being each collection's heap-before less the previous one's after.
     */
    static double[] gcBetween(Path log, double from, double to) throws IOException {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(
                "^\\[([0-9.]+)s\\].*Pause .*? (\\d+)([KMG])->(\\d+)([KMG])\\(\\d+[KMG]\\) ([0-9.]+)ms");
        double count = 0;
        double pause = 0;
        double allocated = 0;
        double previousAfter = -1;
        for (String line : Files.readAllLines(log)) {
            java.util.regex.Matcher m = p.matcher(line);
            if (!m.find()) {
                continue;
            }
            double t = Double.parseDouble(m.group(1));
            double before = mib(m.group(2), m.group(3));
            double after = mib(m.group(4), m.group(5));
            if (t >= from && t <= to) {
                count++;
                pause += Double.parseDouble(m.group(6));
                if (previousAfter >= 0) {
                    allocated += Math.max(0, before - previousAfter);
                }
            }
            previousAfter = after;
        }
        return new double[] {count, pause, allocated};
    }

    private static double mib(String n, String unit) {
        double v = Double.parseDouble(n);
        return switch (unit) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            default -> v;
        };
    }

    static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    public static double vmHwmMiB(long pid) throws IOException {
        List<String> status = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
        for (String l : status) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return -1;
    }
}

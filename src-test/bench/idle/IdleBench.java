import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The idle benchmark (see run.sh): the packaged agent tails one quiet file into a Loki stand-in (HTTP
 * 204) and samples lo into a UDP collector, both in this JVM; after a warm-up it measures for a fixed
 * time the agent's CPU seconds, wake-ups per thread (voluntary context switches), threads and RSS. The
 * baselines run in the same session under the same load: a bare JVM with the launcher's flags that
 * only sleeps (the floor of any JVM agent), and hsflowd when --hsflowd names a build of it.
 */
public final class IdleBench {
    record Sample(long cpuTicks, Map<String, long[]> threads) {
    }

    record Result(String name, double seconds, double cpuSeconds, long wakeups, long rssKb, long hwmKb, int threads,
            String load, List<String> busiest) {
        double cpuPercent() {
            return 100.0 * cpuSeconds / seconds;
        }
    }

    static final Path ROOT = Path.of(System.getProperty("tailflow.root", ".")).toAbsolutePath().normalize();

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of("--seconds", "60", "--warmup", "20", "--agent-opts", "",
                "--hsflowd", "", "--hsflowd-modules", "", "--nmt", "false", "--only", ""));
        for (int i = 0; i < args.length; i += 2) {
            if (!o.containsKey(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: run.sh [--seconds 60] [--warmup 20] [--agent-opts '-Dx=y']"
                        + " [--nmt true] [--only agent,jvm,hsflowd] [--hsflowd PATH --hsflowd-modules DIR]");
            }
            o.put(args[i], args[i + 1]);
        }
        int seconds = Integer.parseInt(o.get("--seconds"));
        int warmup = Integer.parseInt(o.get("--warmup"));
        List<String> only = o.get("--only").isEmpty() ? List.of("agent", "jvm", "hsflowd")
                : List.of(o.get("--only").split(","));
        boolean nmt = Boolean.parseBoolean(o.get("--nmt"));
        Path work = Files.createTempDirectory("tailflow-idle-bench");
        String load0 = loadAverage();
        Map<String, Result> results = new LinkedHashMap<>();
        if (only.contains("agent")) {
            results.put("agent", agent(work, o.get("--agent-opts"), nmt, warmup, seconds));
        }
        if (only.contains("jvm")) {
            results.put("jvm", bareJvm(work, warmup, seconds));
        }
        if (only.contains("hsflowd") && !o.get("--hsflowd").isEmpty()) {
            results.put("hsflowd", hsflowd(work, o.get("--hsflowd"), o.get("--hsflowd-modules"), warmup, seconds));
        }
        System.out.println();
        System.out.println("idle for " + seconds + " s after " + warmup + " s of warm-up; cores: "
                + Runtime.getRuntime().availableProcessors() + "; load average before: " + load0 + ", after: "
                + loadAverage() + " (other work on this machine skews CPU figures)");
        System.out.printf("%-46s %7s %7s %9s %8s %8s %7s  %s%n", "process", "CPU s", "CPU %", "wakeup/s", "RSS MB",
                "HWM MB", "threads", "load (1 5 15)");
        for (Result r : results.values()) {
            System.out.printf("%-46s %7.2f %7.3f %9.1f %8.1f %8.1f %7d  %s%n", r.name(), r.cpuSeconds(), r.cpuPercent(),
                    r.wakeups() / r.seconds(), r.rssKb() / 1024.0, r.hwmKb() / 1024.0, r.threads(), r.load());
        }
        for (Result r : results.values()) {
            System.out.println(r.name() + ", threads by wake-ups/s (CPU %): " + String.join(", ", r.busiest()));
        }
        Result a = results.get("agent");
        for (String base : List.of("jvm", "hsflowd")) {
            Result b = results.get(base);
            if (a != null && b != null) {
                String cpuRatio = b.cpuSeconds() > 0 ? "%.1fx".formatted(a.cpuPercent() / b.cpuPercent())
                        : "n/a (baseline below one clock tick)";
                System.out.printf("agent / %s: CPU %.3f / %.3f %% = %s, RSS %.1f / %.1f MB = %.1fx, wake-ups %.1f / %.1f"
                        + " per s%n", b.name(), a.cpuPercent(), b.cpuPercent(), cpuRatio, a.rssKb() / 1024.0,
                        b.rssKb() / 1024.0, (double) a.rssKb() / b.rssKb(), a.wakeups() / a.seconds(),
                        b.wakeups() / b.seconds());
            }
        }
        System.out.println("targets (issue 13): agent idle <= 0.2 % of a core, RSS <= 48 MiB");
    }

    static Result agent(Path work, String opts, boolean nmt, int warmup, int seconds) throws Exception {
        Path quiet = work.resolve("quiet.log");
        Files.writeString(quiet, "one line before the agent starts\n");
        AtomicLong pushes = new AtomicLong();
        HttpServer loki = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        loki.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            pushes.incrementAndGet();
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        loki.start();
        try (DatagramSocket collector = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Thread drain = new Thread(() -> {
                byte[] buf = new byte[65_536];
                while (!collector.isClosed()) {
                    try {
                        collector.receive(new DatagramPacket(buf, buf.length));
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "collector");
            drain.setDaemon(true);
            drain.start();
            int http;
            try (ServerSocket s = new ServerSocket(0)) {
                http = s.getLocalPort();
            }
            Path yaml = work.resolve("agent.yaml");
            Files.writeString(yaml, """
                    server:
                      http_listen_address: 127.0.0.1
                      http_listen_port: %d
                    positions:
                      filename: %s
                    clients:
                      - url: http://127.0.0.1:%d/loki/api/v1/push
                    scrape_configs:
                      - job_name: quiet
                        static_configs:
                          - targets: [localhost]
                            labels:
                              job: quiet
                              __path__: %s
                    sflow:
                      polling: 20
                      collectors:
                        - ip: 127.0.0.1
                          udpport: %d
                      pcap:
                        - dev: lo
                          sampling: 400
                    """.formatted(http, work.resolve("positions.yaml"), loki.getAddress().getPort(), quiet,
                    collector.getLocalPort()));
            ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("packaging/bin/agent").toString(), "--config",
                    yaml.toString()).redirectErrorStream(true).redirectOutput(work.resolve("agent.log").toFile());
            pb.environment().remove("NOTIFY_SOCKET");
            pb.environment().put("TAILFLOW_JAVA_OPTS", (opts + (nmt ? " -XX:NativeMemoryTracking=summary" : "")).trim());
            Process p = pb.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (pushes.get() == 0) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("the agent did not push the quiet file's line (see " + work
                                + "/agent.log)");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
                Result r = measure("agent (logs: 1 quiet file, sflow: lo 1-in-400)", p.pid(), warmup, seconds);
                if (nmt) {
                    System.out.println(run("jcmd", Long.toString(p.pid()), "VM.native_memory", "summary"));
                }
                System.out.println("agent RSS by mapping (kB, top 12): " + rssByMapping(p.pid()));
                return r;
            } finally {
                stop(p);
            }
        } finally {
            loki.stop(0);
        }
    }

    /** The floor: a JVM with the launcher's flags (read from packaging/bin/agent) that only sleeps. */
    static Result bareJvm(Path work, int warmup, int seconds) throws Exception {
        String launcher = Files.readString(ROOT.resolve("packaging/bin/agent"));
        int at = launcher.indexOf("jvm_flags=\"");
        String flags = launcher.substring(at + 11, launcher.indexOf('"', at + 11));
        Path src = work.resolve("Sleep.java");
        Files.writeString(src, "public class Sleep { public static void main(String[] a) throws Exception {"
                + " Thread.sleep(Long.MAX_VALUE); } }");
        run("javac", "-d", work.toString(), src.toString()); // not a source launch: javac would stay in its heap
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(List.of(flags.split(" ")));
        cmd.addAll(List.of("-Xmx64m", "-cp", work.toString(), "Sleep"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("jvm.log").toFile())
                .start();
        try {
            return measure("bare JVM, launcher flags, sleeping (floor)", p.pid(), warmup, seconds);
        } finally {
            stop(p);
        }
    }

    static Result hsflowd(Path work, String hsflowd, String modules, int warmup, int seconds) throws Exception {
        Path conf = work.resolve("hsflowd.conf");
        Files.writeString(conf, """
                sflow {
                  polling = 20
                  collector { ip=127.0.0.1 udpport=9 }
                  pcap { dev=lo sampling=400 }
                }
                """);
        Process p = new ProcessBuilder(hsflowd, "-d", "-P", "-f", conf.toString(), "-l", modules, "-p",
                work.resolve("hsflowd.pid").toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("hsflowd.log").toFile()).start();
        try {
            return measure("hsflowd 2.1.25 (sflow only: lo 1-in-400)", p.pid(), warmup, seconds);
        } finally {
            stop(p);
        }
    }

    static Result measure(String name, long pid, int warmup, int seconds) throws IOException {
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(warmup));
        Sample s0 = sample(pid);
        long t0 = System.nanoTime();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
        Sample s1 = sample(pid);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long wakeups = 0;
        Map<String, long[]> perName = new HashMap<>();
        for (var e : s1.threads().entrySet()) {
            long[] before = s0.threads().getOrDefault(e.getKey(), new long[3]);
            long w = e.getValue()[1] - before[1];
            wakeups += w;
            String n = nameOf(e.getKey());
            perName.merge(n, new long[] {w, e.getValue()[2] - before[2]}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
        List<String> busiest = perName.entrySet().stream().filter(e -> e.getValue()[0] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(12)
                .map(e -> "%s %.1f (%.2f)".formatted(e.getKey(), e.getValue()[0] / elapsed, e.getValue()[1] / elapsed))
                .toList();
        long[] mem = memory(pid);
        Result r = new Result(name, elapsed, (s1.cpuTicks() - s0.cpuTicks()) / 100.0, wakeups, mem[0], mem[1],
                s1.threads().size(), loadAverage(), busiest);
        System.out.printf("%s: %.0f s, CPU %.3f %%, %.1f wake-ups/s, RSS %.1f MB, %d threads%n", name, elapsed,
                r.cpuPercent(), wakeups / elapsed, mem[0] / 1024.0, r.threads());
        return r;
    }

    /** Thread key is "tid name"; the name is what the table shows. */
    static String nameOf(String key) {
        return key.substring(key.indexOf(' ') + 1);
    }

    /** Process CPU ticks and, per thread ("tid name"), {0, voluntary context switches, CPU ticks}. */
    static Sample sample(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long cpu = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        Map<String, long[]> threads = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String ts = Files.readString(t.resolve("stat"));
                    String comm = ts.substring(ts.indexOf('(') + 1, ts.lastIndexOf(')'));
                    String[] tf = ts.substring(ts.lastIndexOf(')') + 2).split(" ");
                    long vol = 0;
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            vol = Long.parseLong(line.replaceAll("\\D", ""));
                        }
                    }
                    threads.put(t.getFileName() + " " + comm,
                            new long[] {0, vol, Long.parseLong(tf[11]) + Long.parseLong(tf[12])});
                } catch (IOException e) {
                    // thread ended meanwhile
                }
            }
        }
        return new Sample(cpu, threads);
    }

    /** Resident kB per mapped file, or per kind of anonymous memory, from /proc/PID/smaps. */
    static String rssByMapping(long pid) throws IOException {
        Map<String, Long> kb = new HashMap<>();
        String current = "?";
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] f = line.trim().split("\\s+", 6);
                current = f.length < 6 ? "[anon]" : f[5].substring(f[5].lastIndexOf('/') + 1);
            } else if (line.startsWith("Rss:")) {
                kb.merge(current, Long.parseLong(line.replaceAll("\\D", "")), Long::sum);
            }
        }
        return kb.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(12)
                .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
    }

    static long[] memory(long pid) throws IOException {
        long rss = 0;
        long hwm = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("VmHWM:")) {
                hwm = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new long[] {rss, hwm};
    }

    static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}

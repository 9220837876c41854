import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
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
 * The sFlow sampling benchmark (see run.sh). Each scenario starts one sampler (the packaged agent, or
 * hsflowd when --hsflowd names a build of it) with an hsflowd.conf that samples one device, sends
 * small UDP packets through that device at a fixed rate from this JVM, and reads the sampler's CPU
 * time, wake-ups (voluntary context switches) and RSS from /proc/PID. On lo the packets go to a
 * bound socket that never reads (dropped there, no ICMP replies); on the veth pair they go to an
 * unassigned address in a namespace this program creates, which drops them.
 */
public final class SflowBench {
    /** @param latencyMs burst sent to its first flow sample at the collector: median and maximum of 5 */
    record Result(String name, int rate, double seconds, long packets, long samples, double cpuSeconds,
            long wakeups, long rssKb, String load, long[] latencyMs) {
        double kpps() {
            return packets / seconds / 1000.0;
        }

        double cpuPercent() {
            return 100.0 * cpuSeconds / seconds;
        }

        double cpuPer100k() {
            return kpps() < 1 ? Double.NaN : cpuPercent() / (kpps() / 100.0);
        }

        double effectiveRate() {
            return samples == 0 ? Double.NaN : (double) packets / samples;
        }
    }

    /** How to start the sampler under test: the agent or hsflowd. */
    record Sampler(String kind, String extraOpts) {
    }

    static final Path ROOT = Path.of(System.getProperty("tailflow.root", ".")).toAbsolutePath().normalize();
    static final int SUBNET = 251;
    static final String NS = "perfsflowbench";
    static final String VETH_HOST = "perfsbh0";
    static final String VETH_NS = "perfsbn0";

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of("--dev", "lo", "--pps", "100000", "--seconds", "30",
                "--idle-seconds", "30", "--warmup", "15", "--only", "", "--agent-opts", "", "--hsflowd", "",
                "--hsflowd-modules", ""));
        for (int i = 0; i < args.length; i += 2) {
            if (!o.containsKey(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: run.sh [--dev lo|veth] [--pps 100000] [--seconds 30]"
                        + " [--idle-seconds 30] [--warmup 15] [--only idle,k400,k100,user400,h400,h100,hidle]"
                        + " [--agent-opts '-Dx=y'] [--hsflowd PATH --hsflowd-modules DIR]");
            }
            o.put(args[i], args[i + 1]);
        }
        boolean veth = o.get("--dev").equals("veth");
        String dev = veth ? VETH_HOST : "lo";
        int pps = Integer.parseInt(o.get("--pps"));
        int seconds = Integer.parseInt(o.get("--seconds"));
        int idleSeconds = Integer.parseInt(o.get("--idle-seconds"));
        int warmup = Integer.parseInt(o.get("--warmup"));
        List<String> only = o.get("--only").isEmpty() ? List.of() : List.of(o.get("--only").split(","));
        String hsflowd = o.get("--hsflowd");
        Sampler agent = new Sampler("agent", o.get("--agent-opts"));
        Sampler user = new Sampler("agent", (o.get("--agent-opts") + " -Dtailflow.sflow.userSpaceSampling=true").trim());
        Sampler peer = new Sampler("hsflowd", "");
        Map<String, Object[]> plan = new LinkedHashMap<>();
        plan.put("idle", new Object[] {"agent idle (sampling " + dev + ", no traffic)", agent, 100, false});
        plan.put("k400", new Object[] {"agent kernel 1-in-400", agent, 400, true});
        plan.put("k100", new Object[] {"agent kernel 1-in-100", agent, 100, true});
        plan.put("user400", new Object[] {"agent user-space 1-in-400", user, 400, true});
        if (!hsflowd.isEmpty()) {
            plan.put("hidle", new Object[] {"hsflowd idle", peer, 100, false});
            plan.put("h400", new Object[] {"hsflowd 1-in-400", peer, 400, true});
            plan.put("h100", new Object[] {"hsflowd 1-in-100", peer, 100, true});
        }
        Path work = Files.createTempDirectory("tailflow-sflow-bench");
        Map<String, Result> results = new LinkedHashMap<>();
        String load0 = loadAverage();
        try {
            if (veth) {
                setUpVeth();
            }
            for (var e : plan.entrySet()) {
                if (!only.isEmpty() && !only.contains(e.getKey())) {
                    continue;
                }
                Object[] p = e.getValue();
                boolean flood = (Boolean) p[3];
                results.put(e.getKey(), scenario(work, (String) p[0], (Sampler) p[1], dev, veth, (Integer) p[2],
                        flood ? pps : 0, flood ? seconds : idleSeconds, warmup, hsflowd, o.get("--hsflowd-modules")));
            }
        } finally {
            if (veth) {
                tearDownVeth();
            }
        }
        print(results, dev, pps, load0);
    }

    static void print(Map<String, Result> results, String dev, int pps, String load0) throws IOException {
        System.out.println();
        System.out.println("device " + dev + ", target rate " + (pps == 0 ? "flat out" : pps + " pps")
                + "; cores: " + Runtime.getRuntime().availableProcessors() + "; load average before: " + load0
                + ", after: " + loadAverage() + " (other work on this machine skews CPU figures)");
        System.out.printf("%-34s %5s %7s %9s %7s %8s %7s %7s %7s %9s %8s %7s %11s  %s%n", "scenario", "N", "kpps",
                "packets", "samples", "eff. N", "error", "CPU s", "CPU %", "%/100kpps", "wakeup/s", "RSS MB",
                "latency ms", "load (1 5 15)");
        for (Result r : results.values()) {
            boolean traffic = r.kpps() >= 1;
            System.out.printf("%-34s %5d %7s %9d %7d %8s %7s %7.2f %7.2f %9s %8.0f %7.1f %11s  %s%n", r.name(), r.rate(),
                    traffic ? "%.1f".formatted(r.kpps()) : "-", r.packets(), r.samples(),
                    traffic ? "%.1f".formatted(r.effectiveRate()) : "-",
                    traffic ? "%+.2f%%".formatted(100.0 * (r.effectiveRate() - r.rate()) / r.rate()) : "-",
                    r.cpuSeconds(), r.cpuPercent(), traffic ? "%.2f".formatted(r.cpuPer100k()) : "-",
                    r.wakeups() / r.seconds(), r.rssKb() / 1024.0,
                    r.latencyMs().length == 0 ? "-" : r.latencyMs()[0] + "/" + r.latencyMs()[1], r.load());
        }
        System.out.println();
        ratio(results, "k100", "h100", "agent / hsflowd CPU per 100 kpps at 1-in-100");
        ratio(results, "k400", "h400", "agent / hsflowd CPU per 100 kpps at 1-in-400");
        ratio(results, "idle", "hidle", "agent / hsflowd idle CPU");
        ratio(results, "user400", "k400", "user-space / kernel sampling CPU per 100 kpps at 1-in-400");
    }

    static void ratio(Map<String, Result> r, String a, String b, String what) {
        if (r.containsKey(a) && r.containsKey(b)) {
            boolean perPacket = r.get(a).kpps() >= 1 && r.get(b).kpps() >= 1;
            double x = perPacket ? r.get(a).cpuPer100k() : r.get(a).cpuPercent();
            double y = perPacket ? r.get(b).cpuPer100k() : r.get(b).cpuPercent();
            System.out.printf("%s: %.2f / %.2f = %.2fx%n", what, x, y, x / Math.max(1e-9, y));
        }
    }

    static Result scenario(Path work, String name, Sampler sampler, String dev, boolean veth, int rate, int pps,
            int seconds, int warmup, String hsflowd, String hsflowdModules) throws Exception {
        try (DatagramSocket collector = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                DatagramSocket sink = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            collector.setReceiveBufferSize(4 << 20);
            sink.setReceiveBufferSize(4096); // never read: lo packets end here, without ICMP replies
            AtomicLong samples = new AtomicLong();
            Thread receiver = new Thread(() -> receive(collector, samples), "collector");
            receiver.setDaemon(true);
            receiver.start();
            Path conf = work.resolve("hsflowd.conf");
            Files.writeString(conf, """
                    sflow {
                      agent = %s
                      polling = 20
                      sampling = 400
                      collector { ip=127.0.0.1 udpport=%d }
                      pcap { dev=%s sampling=%d }
                    }
                    """.formatted(dev, collector.getLocalPort(), dev, rate));
            Process p = sampler.kind().equals("hsflowd") ? startHsflowd(work, conf, hsflowd, hsflowdModules)
                    : startAgent(work, conf, sampler.extraOpts(), dev, rate);
            try {
                await(() -> samplerReady(sampler, p, dev, samples, pps, veth, sink),
                        name + " sampling " + dev + " (see " + work + ")");
                long[] latency = pps > 0 ? latency(veth, sink, samples) : new long[0];
                if (pps > 0) {
                    send(veth, sink, pps, warmup); // not measured: the JIT compiles the sampling path
                } else {
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(warmup));
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // the warm-up's samples drain
                long samples0 = samples.get();
                long cpu0 = cpuTicks(p.pid());
                long wake0 = wakeups(p.pid());
                Map<String, Long> threads0 = threadTicks(p.pid());
                long t0 = System.nanoTime();
                long packets = pps > 0 ? send(veth, sink, pps, seconds) : 0;
                if (pps == 0) {
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
                }
                long cpu1 = cpuTicks(p.pid());
                long wake1 = wakeups(p.pid());
                Map<String, Long> threads1 = threadTicks(p.pid());
                double elapsed = (System.nanoTime() - t0) / 1e9;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1500)); // the last flush (<= 1 s)
                Result r = new Result(name, rate, elapsed, packets, samples.get() - samples0, (cpu1 - cpu0) / 100.0,
                        wake1 - wake0, rssKb(p.pid()), loadAverage(), latency);
                System.out.printf("%s: %.0f s, %d packets, %d samples, CPU %.2f %%, %.0f wake-ups/s; busiest threads:",
                        name, elapsed, r.packets(), r.samples(), r.cpuPercent(), r.wakeups() / elapsed);
                threads1.entrySet().stream()
                        .map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                        .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(5).forEach(e -> System.out.printf(" %s %.2f%%", e.getKey(), e.getValue() / elapsed));
                System.out.println();
                return r;
            } finally {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    static Process startAgent(Path work, Path conf, String opts, String dev, int rate) throws IOException {
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
                  - url: http://127.0.0.1:9/loki/api/v1/push
                scrape_configs: []
                """.formatted(http, work.resolve("positions.yaml")));
        Files.writeString(work.resolve("agent.port"), Integer.toString(http));
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("packaging/bin/agent").toString(), "--config",
                yaml.toString(), "--hsflowd-config", conf.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("agent-" + dev + "-" + rate + ".log").toFile());
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().put("TAILFLOW_JAVA_OPTS", opts);
        return pb.start();
    }

    static Process startHsflowd(Path work, Path conf, String hsflowd, String modules) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(hsflowd, "-d", "-P", "-f", conf.toString(), "-l", modules, "-p",
                work.resolve("hsflowd.pid").toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("hsflowd.log").toFile());
        return pb.start();
    }

    /** Ready when the first flow sample of a probe burst arrives (the same test for both samplers). */
    static boolean samplerReady(Sampler s, Process p, String dev, AtomicLong samples, int pps, boolean veth,
            DatagramSocket sink) {
        if (!p.isAlive()) {
            throw new IllegalStateException(s.kind() + " exited with " + p.exitValue());
        }
        long before = samples.get();
        try {
            send(veth, sink, 20_000, 1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1500));
        return samples.get() > before;
    }

    /**
     * How long a sample takes from its packet to the collector: 5 times, a burst of 2000 packets (a few
     * ms) after a quiet second, timed to the first flow sample that arrives; returns {median, max} in
     * ms. Other traffic on the device may be sampled meanwhile, so this is an upper-bound estimate.
     */
    static long[] latency(boolean veth, DatagramSocket sink, AtomicLong samples) throws IOException {
        long[] ms = new long[5];
        for (int i = 0; i < ms.length; i++) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            long before = samples.get();
            long t0 = System.nanoTime();
            send(veth, sink, 1_000_000, 0, 2000);
            long deadline = t0 + TimeUnit.SECONDS.toNanos(5);
            while (samples.get() == before && System.nanoTime() < deadline) {
                LockSupport.parkNanos(200_000);
            }
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        java.util.Arrays.sort(ms);
        return new long[] {ms[ms.length / 2], ms[ms.length - 1]};
    }

    static long send(boolean veth, DatagramSocket sink, int pps, int seconds) throws IOException {
        return send(veth, sink, pps, seconds, Long.MAX_VALUE);
    }

    /**
     * Sends 18-byte UDP payloads at {@code pps} (in 1 ms slices) for the given time (0: until
     * {@code limit} were tried); returns how many went out. On lo to the never-read sink, on veth through the namespace's static neighbour entry.
     */
    static long send(boolean veth, DatagramSocket sink, int pps, int seconds, long limit) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(veth ? new InetSocketAddress(InetAddress.getByName("10.201." + SUBNET + ".3"), 9)
                    : sink.getLocalSocketAddress());
            ByteBuffer payload = ByteBuffer.allocateDirect(18);
            long start = System.nanoTime();
            long end = seconds == 0 ? Long.MAX_VALUE : start + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            long attempts = 0;
            for (long now = start; now < end && attempts < limit; now = System.nanoTime()) {
                long due = (now - start) * pps / 1_000_000_000L;
                if (attempts >= due) {
                    LockSupport.parkNanos(Math.max(10_000, (attempts + 1 - due) * 1_000_000_000L / pps));
                    continue;
                }
                for (long n = Math.min(Math.min(due - attempts, 1000), limit - attempts); n > 0; n--, attempts++) {
                    payload.clear();
                    try {
                        ch.write(payload);
                        sent++;
                    } catch (IOException e) {
                        // ENOBUFS or a refused send: not sent, not counted
                    }
                }
            }
            return sent;
        }
    }

    /** Counts flow samples (0:1 and 0:3) in sFlow v5 datagrams. */
    static void receive(DatagramSocket s, AtomicLong samples) {
        byte[] buf = new byte[65_536];
        while (!s.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (IOException e) {
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
            try {
                if (b.getInt() != 5) {
                    continue;
                }
                int addressBytes = b.getInt() == 2 ? 16 : 4;
                b.position(b.position() + addressBytes + 12); // agent address, sub-agent, sequence, uptime
                for (int n = b.getInt(); n > 0; n--) {
                    int tag = b.getInt();
                    int len = b.getInt();
                    if (tag == 1 || tag == 3) {
                        samples.incrementAndGet();
                    }
                    b.position(b.position() + len);
                }
            } catch (RuntimeException e) {
                System.err.println("undecodable datagram from " + p.getSocketAddress() + ": " + e);
            }
        }
    }

    static void await(java.util.function.BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // start-up on a loaded machine
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
        }
    }

    static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    /** utime + stime of the process, in clock ticks (USER_HZ = 100 on Linux). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Voluntary context switches summed over the process's threads: how often it went to sleep. */
    static long wakeups(long pid) throws IOException {
        long n = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            n += Long.parseLong(line.replaceAll("\\D", ""));
                        }
                    }
                } catch (IOException e) {
                    // thread ended meanwhile
                }
            }
        }
        return n;
    }

    /** CPU ticks per thread name (names are cut to 15 characters by the kernel; same names add up). */
    static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(comm, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException e) {
                    // thread ended meanwhile
                }
            }
        }
        return out;
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    static void setUpVeth() throws Exception {
        tearDownVeth();
        run("ip", "netns", "add", NS);
        run("ip", "link", "add", VETH_HOST, "type", "veth", "peer", "name", VETH_NS);
        run("ip", "link", "set", VETH_NS, "netns", NS);
        run("ip", "addr", "add", "10.201." + SUBNET + ".1/24", "dev", VETH_HOST);
        run("ip", "netns", "exec", NS, "ip", "addr", "add", "10.201." + SUBNET + ".2/24", "dev", VETH_NS);
        run("ip", "netns", "exec", NS, "ip", "link", "set", VETH_NS, "up");
        run("ip", "link", "set", VETH_HOST, "up");
        String mac = run("ip", "netns", "exec", NS, "cat", "/sys/class/net/" + VETH_NS + "/address").trim();
        // 10.201.K.3 is nobody: the namespace receives the frames (its MAC) and drops them without a reply
        run("ip", "neigh", "replace", "10.201." + SUBNET + ".3", "lladdr", mac, "dev", VETH_HOST, "nud", "permanent");
    }

    static void tearDownVeth() throws Exception {
        runQuiet("ip", "link", "del", VETH_HOST);
        runQuiet("ip", "netns", "del", NS);
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
        return out;
    }

    static void runQuiet(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
    }
}

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import tailflow.agent.sflow.SflowDecoder;
import tailflow.agent.sflow.record.FlowSample;

/**
 * The sFlow sampling benchmark (see run.sh). Each scenario starts the packaged agent with an
 * hsflowd.conf sampling one veth end, floods the pair from this JVM for a fixed time, and reads the
 * agent's CPU time and RSS from /proc/PID. Flood packets go to an unassigned address in the
 * namespace's subnet through a static neighbour entry, so the namespace drops them without replying.
 */
public final class SflowBench {
    record Result(String name, int rate, double seconds, long packets, long samples, double cpuPercent, long rssKb,
            long hwmKb) {
        double kpps() {
            return packets / seconds / 1000.0;
        }

        double cpuPer100k() {
            return kpps() == 0 ? 0 : cpuPercent / (kpps() / 100.0);
        }

        double effectiveRate() {
            return samples == 0 ? Double.NaN : (double) packets / samples;
        }
    }

    /** Extra JVM options for every agent started (--agent-opts), e.g. -Dtailflow.sflow.bufferMillis=100. */
    static final String[] OPTS = {""};
    static final Path ROOT = Path.of(System.getProperty("tailflow.root", ".")).toAbsolutePath().normalize();
    static final int SUBNET = 250;
    static final String NS = "tfs-bench";
    static final String HOST_IF = "tfsbh0";
    static final String NS_IF = "tfsbn0";

    public static void main(String[] args) throws Exception {
        int seconds = 30;
        int idleSeconds = 10;
        int warmup = 20;
        String only = "";
        String agentOpts = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--idle-seconds" -> idleSeconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                case "--agent-opts" -> agentOpts = args[++i];
                default -> throw new IllegalArgumentException("usage: run.sh [--seconds N] [--idle-seconds N] [--warmup N] [--only kernel-400] [--agent-opts '-Dx=y']");
            }
        }
        Path work = Files.createTempDirectory("tailflow-sflow-bench");
        List<Result> results = new ArrayList<>();
        try {
            setUp();
            OPTS[0] = agentOpts;
            if (only.isEmpty()) {
                results.add(scenario(work, "idle agent (no traffic)", 400, false, idleSeconds, false, warmup));
            }
            if (only.isEmpty() || only.equals("kernel-400")) {
                results.add(scenario(work, "kernel 1-in-400", 400, false, seconds, true, warmup));
            }
            if (only.isEmpty()) {
                results.add(scenario(work, "kernel 1-in-100", 100, false, seconds, true, warmup));
                results.add(scenario(work, "user-space 1-in-400 (baseline)", 400, true, seconds, true, warmup));
            }
        } finally {
            tearDown();
        }
        System.out.println();
        System.out.println("load average at the end (other work on this machine skews CPU figures): "
                + Files.readString(Path.of("/proc/loadavg")).trim() + "; cores: "
                + Runtime.getRuntime().availableProcessors());
        System.out.printf("%-32s %6s %8s %10s %8s %9s %8s %10s %8s %8s%n", "scenario", "N", "kpps", "packets", "samples",
                "eff. N", "error", "agent CPU%", "CPU%/100kpps", "RSS MB");
        for (Result r : results) {
            if (r.kpps() < 1) { // no traffic: per-packet figures are meaningless
                System.out.printf("%-32s %6d %8s %10d %8d %9s %8s %10.2f %12s %8.1f%n", r.name(), r.rate(), "-",
                        r.packets(), r.samples(), "-", "-", r.cpuPercent(), "-", r.rssKb() / 1024.0);
                continue;
            }
            System.out.printf("%-32s %6d %8.1f %10d %8d %9.1f %7.1f%% %10.2f %12.2f %8.1f%n", r.name(), r.rate(), r.kpps(),
                    r.packets(), r.samples(), r.effectiveRate(), 100.0 * (r.effectiveRate() - r.rate()) / r.rate(),
                    r.cpuPercent(), r.cpuPer100k(), r.rssKb() / 1024.0);
        }
        if (results.size() < 4) {
            return;
        }
        Result idle = results.get(0);
        Result k400 = results.get(1);
        Result user = results.get(3);
        System.out.println();
        System.out.printf("kernel 1-in-400: %.2f %% of one core per 100 kpps (target < 2); above idle: %.2f %%;"
                + " user-space sampling costs %.1fx as much CPU per packet%n", k400.cpuPer100k(),
                (k400.cpuPercent() - idle.cpuPercent()) / (k400.kpps() / 100.0),
                user.cpuPer100k() / Math.max(1e-9, k400.cpuPer100k()));
    }

    /** @param warmup seconds of the same load before measuring, so the JIT has compiled the sampling path */
    static Result scenario(Path work, String name, int rate, boolean userSpace, int seconds, boolean flood, int warmup)
            throws Exception {
        try (DatagramSocket collector = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            collector.setReceiveBufferSize(4 << 20);
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
                    """.formatted(HOST_IF, collector.getLocalPort(), HOST_IF, rate));
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
            ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("packaging/bin/agent").toString(), "--config",
                    yaml.toString(), "--hsflowd-config", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("agent-" + rate + (userSpace ? "-user" : "") + ".log").toFile());
            pb.environment().remove("NOTIFY_SOCKET");
            pb.environment().put("TAILFLOW_JAVA_OPTS",
                    (OPTS[0] + (userSpace ? " -Dtailflow.sflow.userSpaceSampling=true" : "")).trim());
            Process agent = pb.start();
            try {
                String mode = userSpace ? "user" : "kernel";
                await(Duration30(), () -> metrics(http).contains("interface=\"" + HOST_IF + "\",mode=\"" + mode + "\""),
                        "agent sampling " + HOST_IF + " in " + mode + " mode");
                if (flood) {
                    flood(warmup); // not measured: the JIT compiles the sampling path under this load
                } else {
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(warmup));
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // let the warm-up's samples drain
                long samples0 = samples.get();
                long packets0 = packets();
                long cpu0 = cpuTicks(agent.pid());
                java.util.Map<String, Long> threads0 = threadTicks(agent.pid());
                long t0 = System.nanoTime();
                if (flood) {
                    flood(seconds);
                } else {
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
                }
                long cpu1 = cpuTicks(agent.pid());
                java.util.Map<String, Long> threads1 = threadTicks(agent.pid());
                double elapsed = (System.nanoTime() - t0) / 1e9;
                long packets1 = packets();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1500)); // the last flush (<= 1 s)
                long[] mem = memory(agent.pid());
                Result r = new Result(name, rate, elapsed, packets1 - packets0, samples.get() - samples0,
                        100.0 * (cpu1 - cpu0) / 100.0 / elapsed, mem[0], mem[1]);
                System.out.printf("%s: %.0f s, %d packets, %d samples, agent CPU %.2f %%; busiest threads:", name,
                        elapsed, r.packets(), r.samples(), r.cpuPercent());
                threads1.entrySet().stream().map(e -> java.util.Map.entry(e.getKey(),
                                e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                        .filter(e -> e.getValue() > 0).sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(5).forEach(e -> System.out.printf(" %s %.2f%%", e.getKey(), e.getValue() / elapsed));
                System.out.println();
                return r;
            } finally {
                agent.destroy();
                if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                    agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Start-up on a loaded 2-core machine can take a while; this only bounds the wait. */
    static java.time.Duration Duration30() {
        return java.time.Duration.ofSeconds(120);
    }

    /** Sends 18-byte UDP payloads (60-byte frames) as fast as one thread can for the given time. */
    static long flood(int seconds) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(new InetSocketAddress(InetAddress.getByName("10.201." + SUBNET + ".3"), 9));
            ByteBuffer payload = ByteBuffer.allocateDirect(18);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            while (true) {
                for (int i = 0; i < 256; i++) {
                    payload.clear();
                    try {
                        ch.write(payload);
                        sent++;
                    } catch (IOException e) {
                        // ENOBUFS under load: the packet is simply not sent
                    }
                }
                if (System.nanoTime() > end) {
                    return sent;
                }
            }
        }
    }

    static void receive(DatagramSocket s, AtomicLong samples) {
        byte[] buf = new byte[65_536];
        while (!s.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
                samples.addAndGet(SflowDecoder.decode(p.getData(), p.getLength()).samples().stream()
                        .filter(FlowSample.class::isInstance).count());
            } catch (IOException e) {
                return;
            }
        }
    }

    static String metrics(int port) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/metrics")).timeout(java.time.Duration.ofSeconds(2)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static void await(java.time.Duration timeout, java.util.function.BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            LockSupport.parkNanos(100_000_000);
        }
    }

    /** utime + stime of the process, in clock ticks (USER_HZ = 100 on Linux). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** CPU ticks per thread name (names are cut to 15 characters by the kernel; same names add up). */
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
                    // thread ended meanwhile
                }
            }
        }
        return out;
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

    static long packets() throws IOException {
        Path s = Path.of("/sys/class/net", HOST_IF, "statistics");
        return Long.parseLong(Files.readString(s.resolve("rx_packets")).trim())
                + Long.parseLong(Files.readString(s.resolve("tx_packets")).trim());
    }

    static void setUp() throws Exception {
        tearDown();
        run("ip", "netns", "add", NS);
        run("ip", "link", "add", HOST_IF, "type", "veth", "peer", "name", NS_IF);
        run("ip", "link", "set", NS_IF, "netns", NS);
        run("ip", "addr", "add", "10.201." + SUBNET + ".1/24", "dev", HOST_IF);
        run("ip", "netns", "exec", NS, "ip", "addr", "add", "10.201." + SUBNET + ".2/24", "dev", NS_IF);
        run("ip", "netns", "exec", NS, "ip", "link", "set", NS_IF, "up");
        run("ip", "link", "set", HOST_IF, "up");
        String mac = run("ip", "netns", "exec", NS, "cat", "/sys/class/net/" + NS_IF + "/address").trim();
        // 10.201.K.3 is nobody: the namespace receives the frames (its MAC) and drops them without a reply
        run("ip", "neigh", "replace", "10.201." + SUBNET + ".3", "lladdr", mac, "dev", HOST_IF, "nud", "permanent");
    }

    static void tearDown() throws Exception {
        runQuiet("ip", "link", "del", HOST_IF);
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

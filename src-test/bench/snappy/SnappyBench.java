import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import tailflow.agent.loki.SnappyBlockEncoder;
import tailflow.agent.loki.SnappyCompression;

/**
 * CPU cost of the agent's snappy block encoder against aircompressor's (the one it replaced), on
 * the same data in the same JVM: rounds alternate between the two so load on a shared machine
 * hits both alike. Data: ~120-byte syslog-like lines (what the agent pushes) and random bytes
 * (the incompressible worst case), compressed in 1 MiB pieces (the default batch size). Prints
 * CPU MiB/s per encoder (median over rounds), the ratio ours/aircompressor, the agent's choice
 * (libsnappy through JNA when installed: {@link SnappyCompression#choose}) against the Java encoder, the compressed sizes
 * and the load average. Every output is checked with aircompressor's decoder.
 *
 *   src-test/bench/snappy/run.sh [--mib 64] [--rounds 15]
 */
public final class SnappyBench {
    interface Encoder {
        int compress(byte[] in, int length, byte[] out);
    }

    public static void main(String[] args) throws Exception {
        int mib = 64;
        int rounds = 15;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mib" -> mib = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "JVM: %s, flags: %s%n", System.getProperty("java.vm.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("load average before: " + loadAverage());
        run("log lines", pieces(logLines(new Random(1), mib << 20)), rounds);
        run("random bytes", pieces(random(new Random(2), Math.max(1, mib / 4) << 20)), rounds);
        System.out.println("load average after: " + loadAverage());
    }

    static void run(String data, List<byte[]> pieces, int rounds) {
        SnappyBlockEncoder ours = new SnappyBlockEncoder();
        SnappyCompressor air = new SnappyCompressor();
        Encoder oursE = (in, n, out) -> ours.compress(in, 0, n, out, 0);
        Encoder airE = (in, n, out) -> air.compress(in, 0, n, out, 0, out.length);
        SnappyCompression lib = SnappyCompression.choose("");
        Encoder libE = (in, n, out) -> lib.compress(in, n); // into its own buffer: the agent's use
        byte[] out = new byte[SnappyBlockEncoder.maxCompressedLength(1 << 20) + air.maxCompressedLength(1 << 20)];
        long bytes = pieces.stream().mapToLong(p -> p.length).sum();
        long oursSize = verify(oursE, pieces, out);
        long airSize = verify(airE, pieces, out);
        long libSize = verify((in, n, o) -> {
            int c = lib.compress(in, n);
            System.arraycopy(lib.output(), 0, o, 0, c);
            return c;
        }, pieces, out);
        for (int w = 0; w < 5; w++) { // warm-up: let the JIT compile both
            pass(oursE, pieces, out);
            pass(airE, pieces, out);
            pass(libE, pieces, out);
        }
        double[] oursRate = new double[rounds];
        double[] airRate = new double[rounds];
        double[] libRate = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            oursRate[r] = bytes / (1 << 20) / (pass(oursE, pieces, out) / 1e9);
            airRate[r] = bytes / (1 << 20) / (pass(airE, pieces, out) / 1e9);
            libRate[r] = bytes / (1 << 20) / (pass(libE, pieces, out) / 1e9);
        }
        double o = median(oursRate);
        double a = median(airRate);
        System.out.printf(Locale.ROOT, "%-12s %4d MiB x %d rounds: ours %.0f MiB/s CPU, aircompressor %.0f MiB/s CPU,"
                + " ratio ours/air %.3f; compressed ours %d B, air %d B (size ratio %.4f)%n",
                data, bytes >> 20, rounds, o, a, o / a, oursSize, airSize, (double) oursSize / airSize);
        double l = median(libRate);
        System.out.printf(Locale.ROOT, "%-12s agent's choice %s: %.0f MiB/s CPU = %.2f CPU s/GiB (Java encoder %.2f s/GiB),"
                + " ratio choice/Java %.3f, compressed %d B%n", data, !lib.getClass().getName().contains("NativeSnappy") ? "Java encoder"
                : "libsnappy (JNA)", l, 1024 / l, 1024 / o, l / o, libSize);
    }

    /** CPU nanoseconds of this thread for compressing every piece once. */
    static long pass(Encoder e, List<byte[]> pieces, byte[] out) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long start = mx.getCurrentThreadCpuTime();
        for (byte[] p : pieces) {
            sink += e.compress(p, p.length, out);
        }
        long cpu = mx.getCurrentThreadCpuTime() - start;
        if (sink == 42) {
            System.out.println();
        }
        return cpu;
    }

    static long verify(Encoder e, List<byte[]> pieces, byte[] out) {
        SnappyDecompressor d = new SnappyDecompressor();
        long total = 0;
        for (byte[] p : pieces) {
            int n = e.compress(p, p.length, out);
            byte[] back = new byte[p.length];
            d.decompress(out, 0, n, back, 0, back.length);
            if (!Arrays.equals(p, back)) {
                throw new AssertionError("round trip failed");
            }
            total += n;
        }
        return total;
    }

    static List<byte[]> pieces(byte[] data) {
        List<byte[]> pieces = new ArrayList<>();
        for (int i = 0; i < data.length; i += 1 << 20) {
            pieces.add(Arrays.copyOfRange(data, i, Math.min(data.length, i + (1 << 20))));
        }
        return pieces;
    }

    static byte[] logLines(Random random, int length) {
        StringBuilder s = new StringBuilder(length + 256);
        String[] hosts = {"web-01", "web-02", "db-01", "cache-03", "lb-01"};
        String[] apps = {"nginx", "sshd", "kernel", "postgres", "cron", "systemd"};
        String[] msgs = {"GET /api/v1/items?page=%d HTTP/1.1 200 %d \"-\" \"curl/7.88.1\"",
            "Accepted publickey for deploy from 10.0.%d.%d port 52214 ssh2",
            "TCP: request_sock_TCP: Possible SYN flooding on port %d. Sending cookies.",
            "duration: %d.%03d ms  statement: SELECT * FROM orders WHERE id = $1",
            "(root) CMD (run-parts /etc/cron.hourly) pid %d %d",
            "Started Session %d of user deploy. unit=session-%d.scope"};
        long t = 1_764_000_000L;
        while (s.length() < length) {
            t += random.nextInt(3);
            s.append("Nov 29 ").append(String.format(Locale.ROOT, "%02d:%02d:%02d", t / 3600 % 24, t / 60 % 60, t % 60))
                    .append(' ').append(hosts[random.nextInt(hosts.length)]).append(' ')
                    .append(apps[random.nextInt(apps.length)]).append('[').append(100 + random.nextInt(30000)).append("]: ")
                    .append(String.format(Locale.ROOT, msgs[random.nextInt(msgs.length)], random.nextInt(256), random.nextInt(100000)))
                    .append('\n');
        }
        return Arrays.copyOf(s.toString().getBytes(StandardCharsets.US_ASCII), length);
    }

    static byte[] random(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown (" + e + ")";
        }
    }
}

package tailflow.systemtest.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tailflow.agent.sflow.record.FlowSample;
import tailflow.agent.sflow.record.RawPacketHeader;
import tailflow.systemtest.support.Command;
import tailflow.systemtest.support.Wait;

/**
 * pmacct's sfacctd bound to 127.0.0.1, aggregating flow samples by source, destination and protocol
 * into a CSV file (print plugin, appended every second). Without renormalisation a "packet" is one
 * sample, so its totals must equal what our decoder counts per address pair.
 */
final class Sfacctd implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path out;
    private final Path log;

    private Sfacctd(Process process, int port, Path out, Path log) {
        this.process = process;
        this.port = port;
        this.out = out;
        this.log = log;
    }

    static Sfacctd start(Path dir) throws IOException {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort(); // free now; sfacctd binds it right after
        }
        Path out = dir.resolve("sfacctd.csv");
        Path conf = dir.resolve("sfacctd.conf");
        Files.writeString(conf, String.join("\n",
                "daemonize: false",
                "sfacctd_ip: 127.0.0.1",
                "sfacctd_port: " + port,
                "plugins: print[t]",
                "aggregate[t]: src_host, dst_host, proto",
                "print_output[t]: csv",
                "print_output_file[t]: " + out,
                "print_output_file_append[t]: true",
                "print_refresh_time[t]: 1",
                ""));
        Path log = dir.resolve("sfacctd.log");
        Process p = new ProcessBuilder("sfacctd", "-f", conf.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Sfacctd s = new Sfacctd(p, port, out, log);
        Wait.upTo(Duration.ofSeconds(10), "sfacctd bound to 127.0.0.1:" + port).until(() -> Command.of("ss", "-lnu").mergeStderr().run().requireOk().stdout().contains("127.0.0.1:" + port));
        return s;
    }

    int port() {
        return port;
    }

    /**
     * sfacctd's totals per (src, dst, proto): packets = our samples, bytes = the sum of their frame_length.
     * Both sides are re-read until they agree (samples still in flight reach both collectors), bounded.
     */
    void checkTotals(java.util.function.Supplier<List<FlowSample>> flows, String hostV4, String nsV4) {
        String forward = hostV4 + "," + nsV4 + ",udp";
        List<String> keys = List.of(forward, hostV4 + "," + nsV4 + ",tcp");
        Map<String, long[]> got = new HashMap<>();
        Map<String, long[]> want = new HashMap<>();
        try {
            Wait.upTo(Duration.ofSeconds(20), "sfacctd's totals to match ours for " + keys).until(() -> {
                want.clear();
                want.putAll(ours(flows.get()));
                got.clear();
                got.putAll(totals());
                return want.containsKey(forward) && keys.stream().allMatch(k -> !want.containsKey(k)
                        || (got.containsKey(k) && java.util.Arrays.equals(got.get(k), want.get(k))));
            });
        } finally {
            System.out.println("sflow IT: sfacctd totals " + describe(got) + "; ours " + describe(want));
        }
        for (String key : keys) {
            if (want.containsKey(key)) {
                assertThat(got.get(key)).as("sfacctd packets,bytes for " + key).containsExactly(want.get(key));
            }
        }
    }

    private static Map<String, long[]> ours(List<FlowSample> flows) {
        Map<String, long[]> want = new HashMap<>();
        for (FlowSample f : flows) {
            RawPacketHeader h = (RawPacketHeader) f.records().get(0);
            byte[] b = h.header();
            if (((b[12] & 0xFF) << 8 | (b[13] & 0xFF)) != 0x0800) {
                continue;
            }
            long[] t = want.computeIfAbsent(ip(b, 26) + "," + ip(b, 30) + "," + proto(b[23] & 0xFF), k -> new long[2]);
            t[0]++;
            t[1] += h.frameLength(); // pmacct counts sFlow's frame_length (L2 header + FCS included)
        }
        return want;
    }

    private Map<String, long[]> totals() {
        Map<String, long[]> sum = new HashMap<>();
        try {
            for (String line : SflowLiveIT.lines(out)) {
                String[] f = line.split(",");
                if (f.length < 5 || !Character.isDigit(f[0].charAt(0))) {
                    continue; // header line
                }
                long[] t = sum.computeIfAbsent(f[0] + "," + f[1] + "," + f[2], k -> new long[2]);
                t[0] += Long.parseLong(f[3].trim());
                t[1] += Long.parseLong(f[4].trim());
            }
        } catch (IOException | NumberFormatException e) {
            return Map.of();
        }
        return sum;
    }

    private static String describe(Map<String, long[]> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append("=").append(v[0]).append("p/").append(v[1]).append("B "));
        return sb.toString().trim();
    }

    private static String ip(byte[] b, int off) {
        return (b[off] & 0xFF) + "." + (b[off + 1] & 0xFF) + "." + (b[off + 2] & 0xFF) + "." + (b[off + 3] & 0xFF);
    }

    private static String proto(int p) {
        return p == 6 ? "tcp" : p == 17 ? "udp" : Integer.toString(p);
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package tailflow.systemtest.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.config.SflowConfig;
import tailflow.agent.config.SflowConfig.Collector;
import tailflow.agent.config.SflowConfig.PcapSource;
import tailflow.agent.ops.metrics.Metrics;
import tailflow.agent.sflow.SflowDecoder;
import tailflow.agent.sflow.SflowDecoder.Datagram;
import tailflow.agent.sflow.SflowMetrics;
import tailflow.agent.sflow.SflowPipeline;
import tailflow.agent.sflow.record.CounterSample;
import tailflow.agent.sflow.record.FlowSample;
import tailflow.agent.sflow.record.GenericInterface;
import tailflow.agent.sflow.record.RawPacketHeader;
import tailflow.agent.sflow.record.TcpInfo;
import tailflow.systemtest.support.Wait;
import tailflow.systemtest.support.UdpCollector;
import tailflow.systemtest.support.Machine;
import tailflow.systemtest.support.Need;

/**
 * The sFlow pipeline against real packets: a veth pair into a namespace this test creates, UDP and TCP
 * over IPv4 and IPv6 across it, kernel-side 1-in-N sampling, and the datagrams checked by our decoder,
 * tshark and pmacct's sfacctd. Needs root (netns, capture). Packet counts: -Dsflow.it.packets (default 6000).
 */
class SflowLiveIT {
    static final int RATE = Integer.getInteger("sflow.it.rate", 10);
    static final int PACKETS = Integer.getInteger("sflow.it.packets", 6000);

    @Test
    void samplesRealTrafficAcrossAVethPair(@TempDir Path tmp) throws Exception {
        Machine.require(Need.ROOT, Need.IPROUTE, Need.SOCAT, Need.TSHARK, Need.SFACCTD);
        try (VethNamespace net = new VethNamespace();
                UdpCollector receiver = UdpCollector.onLoopback();
                Sfacctd sfacctd = Sfacctd.start(tmp)) {
            net.spawnInNs("socat", "-u", "UDP4-RECV:9000", "GOPEN:/dev/null");
            net.spawnInNs("socat", "-u", "UDP6-RECV:9001", "GOPEN:/dev/null");
            net.spawnInNs("socat", "-u", "TCP4-LISTEN:9002,reuseaddr", "GOPEN:/dev/null");
            net.spawnInNs("socat", "-u", "TCP6-LISTEN:9003,reuseaddr", "GOPEN:/dev/null");
            Wait.upTo(Duration.ofSeconds(10), "socat listening in the namespace").until(() -> {
                String ss = net.inNs("ss", "-lntu");
                return ss.contains(":9000") && ss.contains(":9001") && ss.contains(":9002") && ss.contains(":9003");
            });

            SflowConfig config = new SflowConfig(Optional.empty(), Optional.of(net.hostIf), 1, 400, Map.of(), 128, 1400,
                    List.of(new Collector("127.0.0.1", receiver.port()), new Collector("127.0.0.1", sfacctd.port()),
                            new Collector("no-such-collector.invalid", 6343)),
                    List.of(new PcapSource(Optional.of(net.hostIf), Optional.empty(), Optional.of(RATE), false)), true);
            SflowMetrics metrics = new SflowMetrics(new Metrics());
            SflowPipeline.Settings settings = new SflowPipeline.Settings(Path.of("/"), Path.of("/sys"),
                    Duration.ofSeconds(1), Duration.ofMillis(500), false, InetAddress::getByName);
            SflowPipeline pipeline = new SflowPipeline(config, settings, metrics);
            int ifIndex = net.hostIfIndex();
            long packetsBefore = net.hostPackets();
            pipeline.start();
            try {
                Wait.upTo(Duration.ofSeconds(10), "kernel sampling on " + net.hostIf).until(() -> "kernel".equals(pipeline.samplingModes().get(net.hostIf)));
                Wait.upTo(Duration.ofSeconds(10), "a counter sample before the traffic").until(() -> decoded(receiver).stream()
                        .flatMap(d -> d.counterSamples().stream()).anyMatch(c -> c.dsIndex() == ifIndex));
                long txBefore = net.stat("tx_packets");

                List<Socket> open = generateTraffic(net);

                long txAfter = net.stat("tx_packets");
                assertThat(txAfter - txBefore).as("packets sent across the pair (TCP coalesces writes under load)")
                        .isGreaterThan(PACKETS * 7L / 10);
                Wait.upTo(Duration.ofSeconds(15), "counters polled after the traffic").until(() -> decoded(receiver).stream()
                        .flatMap(d -> d.counterSamples().stream())
                        .filter(c -> c.dsClass() == 0 && c.dsIndex() == ifIndex)
                        .anyMatch(c -> ((GenericInterface) c.records().get(0)).outUcastPkts() >= txAfter));
                long packetsAfter = net.hostPackets();
                Wait.upTo(Duration.ofSeconds(10), "every flow sample taken has arrived").until(() -> flowSamples(receiver, ifIndex)
                        .size() == metrics.flowSamples.sum());

                List<FlowSample> flows = flowSamples(receiver, ifIndex);
                double effective = (double) (packetsAfter - packetsBefore) / flows.size();
                System.out.printf("sflow IT: %d packets on %s, %d samples, effective 1-in-%.2f (configured %d)%n",
                        packetsAfter - packetsBefore, net.hostIf, flows.size(), effective, RATE);
                assertThat(effective).as("effective rate").isBetween(RATE * 0.8, RATE * 1.2);

                for (Socket s : open) {
                    s.close();
                }
                checkSequences(decoded(receiver), flows);
                checkFlowSamples(flows, ifIndex, packetsAfter - packetsBefore);
                checkCounters(decoded(receiver), ifIndex, txBefore, txAfter);
                TsharkCheck.flowsAndCounters(tmp, receiver.datagrams(), receiver.port());
                sfacctd.checkTotals(() -> flowSamples(receiver, ifIndex), net.hostV4(), net.nsV4());

                int before = receiver.datagrams().size();
                net.deleteLink();
                Wait.upTo(Duration.ofSeconds(10), "capture on the deleted interface closed").until(() -> !pipeline.samplingModes().containsKey(net.hostIf));
                Wait.upTo(Duration.ofSeconds(10), "counters keep coming after the interface went away").until(() -> decoded(receiver).stream().skip(before)
                                .anyMatch(d -> d.counterSamples().stream().anyMatch(c -> c.dsClass() == 2)));
            } finally {
                pipeline.stop(Duration.ofSeconds(5));
            }
        }
    }

    /**
     * The fallback when the kernel refuses the filter: every packet reaches user space, the rate still
     * holds. The interface is created after the agent started: the next scan picks it up.
     */
    @Test
    void userSpaceFallbackKeepsTheRateAndSaysSo() throws Exception {
        Machine.require(Need.ROOT, Need.IPROUTE, Need.SOCAT, Need.TSHARK, Need.SFACCTD);
        int id = VethNamespace.randomId();
        String hostIf = VethNamespace.hostIf(id);
        try (UdpCollector receiver = UdpCollector.onLoopback()) {
            SflowConfig config = new SflowConfig(Optional.empty(), Optional.empty(), 20, 400, Map.of(), 128,
                    1400, List.of(new Collector("127.0.0.1", receiver.port())),
                    List.of(new PcapSource(Optional.of(hostIf), Optional.empty(), Optional.of(RATE), false)), false);
            SflowMetrics metrics = new SflowMetrics(new Metrics());
            SflowPipeline pipeline = new SflowPipeline(config, new SflowPipeline.Settings(Path.of("/"), Path.of("/sys"),
                    Duration.ofSeconds(1), Duration.ofMillis(500), true, InetAddress::getByName), metrics);
            pipeline.start();
            try (VethNamespace net = new VethNamespace(id)) {
                net.spawnInNs("socat", "-u", "UDP4-RECV:9000", "GOPEN:/dev/null");
                Wait.upTo(Duration.ofSeconds(10), "socat in the namespace").until(() -> net.inNs("ss", "-lnu").contains(":9000"));
                int ifIndex = net.hostIfIndex();
                Wait.upTo(Duration.ofSeconds(10), "the next scan samples the new " + net.hostIf + " in user space").until(() -> "user".equals(pipeline.samplingModes().get(net.hostIf)));
                long before = net.hostPackets();
                try (DatagramSocket udp = new DatagramSocket()) {
                    InetSocketAddress to = new InetSocketAddress(net.nsAddress(), 9000);
                    for (int i = 0; i < PACKETS / 2; i++) {
                        udp.send(new DatagramPacket(new byte[64], 64, to));
                        if (i % 50 == 49) {
                            LockSupport.parkNanos(5_000_000); // gentler pacing: user space reads every packet
                        }
                    }
                }
                long after = net.hostPackets();
                Wait.upTo(Duration.ofSeconds(10), "every flow sample taken has arrived").until(() -> flowSamples(receiver, ifIndex).size() == metrics.flowSamples.sum());
                List<FlowSample> flows = flowSamples(receiver, ifIndex);
                long read = metrics.packetsRead.sum();
                double effective = (double) read / flows.size();
                System.out.printf("sflow IT (user space): %d packets on the interface, %d read by user space (ring "
                        + "drops reported: %d), %d samples, effective 1-in-%.2f%n",
                        after - before, read, flows.get(flows.size() - 1).drops(), flows.size(), effective);
                assertThat(effective).as("samples per packet user space read").isBetween(RATE * 0.8, RATE * 1.2);
                assertThat(read).as("user space reads the packets itself").isGreaterThan((after - before) / 2);
                checkSequences(decoded(receiver), flows);
            } finally {
                pipeline.stop(Duration.ofSeconds(5));
            }
        }
    }

    /** UDP and TCP over IPv4 and IPv6, PACKETS datagrams/segments in all, paced in bursts so no queue overflows. */
    private static List<Socket> generateTraffic(VethNamespace net) throws IOException {
        int quarter = PACKETS / 4;
        try (DatagramSocket udp = new DatagramSocket()) {
            byte[] payload = new byte[64];
            send(udp, new InetSocketAddress(net.nsAddress(), 9000), payload, quarter);
            send(udp, new InetSocketAddress(net.nsAddress6(), 9001), payload, quarter);
        }
        // kept open until the samples are in: tcp_info exists only for live sockets
        return List.of(tcp(new InetSocketAddress(net.nsAddress(), 9002), quarter),
                tcp(new InetSocketAddress(net.nsAddress6(), 9003), quarter));
    }

    private static void send(DatagramSocket s, InetSocketAddress to, byte[] payload, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            s.send(new DatagramPacket(payload, payload.length, to));
            if (i % 200 == 199) {
                LockSupport.parkNanos(2_000_000); // pacing, not waiting for a condition
            }
        }
    }

    /** Writes count small segments with Nagle off; each write is at least one packet. */
    private static Socket tcp(InetSocketAddress to, int count) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(to, 5000);
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[100];
            for (int i = 0; i < count; i++) {
                out.write(chunk);
                out.flush();
                if (i % 100 == 99) {
                    LockSupport.parkNanos(2_000_000);
                }
            }
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    static List<FlowSample> flowSamples(UdpCollector r, int ifIndex) {
        return decoded(r).stream().flatMap(d -> d.flowSamples().stream()).filter(f -> f.dsIndex() == ifIndex).toList();
    }

    /** Datagram sequence numbers 1..n without gaps or repeats; flow sample numbers too. */
    private static void checkSequences(List<Datagram> datagrams, List<FlowSample> flows) {
        List<Long> seqs = datagrams.stream().map(Datagram::sequence).sorted().toList();
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("datagram sequence #" + i).isEqualTo(i + 1L);
        }
        List<Long> fseq = flows.stream().map(FlowSample::sequence).sorted().toList();
        for (int i = 0; i < fseq.size(); i++) {
            assertThat(fseq.get(i)).as("flow sample sequence #" + i).isEqualTo(i + 1L);
        }
        assertThat(datagrams).allSatisfy(d -> assertThat(d.samples().size()).isLessThanOrEqualTo(64));
    }

    private static void checkFlowSamples(List<FlowSample> flows, int ifIndex, long packets) {
        Map<String, Integer> kinds = new HashMap<>();
        int tcpInfos = 0;
        long lastPool = 0;
        for (FlowSample f : flows) {
            RawPacketHeader h = (RawPacketHeader) f.records().get(0);
            byte[] b = h.header();
            assertThat(h.protocol()).isEqualTo(RawPacketHeader.ETHERNET);
            assertThat(h.stripped()).isEqualTo(4);
            assertThat(f.samplingRate()).isEqualTo(RATE);
            assertThat(f.samplePool()).isGreaterThanOrEqualTo(lastPool);
            lastPool = f.samplePool();
            int type = ((b[12] & 0xFF) << 8) | (b[13] & 0xFF);
            boolean sent = f.outputValue() == ifIndex;
            assertThat(sent ? f.inputValue() : f.outputValue()).isEqualTo(FlowSample.INTERNAL);
            if (type == 0x0800) {
                int ipLength = ((b[16] & 0xFF) << 8) | (b[17] & 0xFF);
                assertThat(h.frameLength()).as("frame_length = 14 + IP total length + 4").isEqualTo(14 + ipLength + 4);
                kinds.merge("v4/" + (b[23] & 0xFF), 1, Integer::sum);
            } else if (type == 0x86DD) {
                int payload = ((b[18] & 0xFF) << 8) | (b[19] & 0xFF);
                assertThat(h.frameLength()).as("frame_length = 14 + 40 + payload + 4").isEqualTo(14 + 40 + payload + 4);
                kinds.merge("v6/" + (b[20] & 0xFF), 1, Integer::sum);
            }
            if (f.records().stream().anyMatch(r -> r instanceof TcpInfo)) {
                TcpInfo t = (TcpInfo) f.records().stream().filter(r -> r instanceof TcpInfo).findFirst().get();
                assertThat(t.dirn()).isEqualTo(sent ? TcpInfo.SENT : TcpInfo.RECEIVED);
                assertThat(t.sndMss()).isPositive();
                assertThat(t.rttMicros()).as("rtt in microseconds on a veth").isBetween(1L, 1_000_000L);
                tcpInfos++;
            }
        }
        System.out.println("sflow IT: sampled kinds (ip version/protocol) " + kinds + ", with tcp_info " + tcpInfos);
        assertThat(kinds).containsKeys("v4/17", "v6/17", "v4/6", "v6/6");
        int tcpSamples = kinds.get("v4/6") + kinds.get("v6/6");
        assertThat(tcpInfos).as("tcp_info on sampled TCP packets of local (open) sockets").isGreaterThan(
                tcpSamples * 8 / 10);
        assertThat(lastPool).as("sample_pool tracks the interface's packets").isBetween(packets * 9 / 10, packets);
    }

    private static void checkCounters(List<Datagram> datagrams, int ifIndex, long txBefore, long txAfter) {
        List<GenericInterface> mine = datagrams.stream().flatMap(d -> d.counterSamples().stream())
                .filter(c -> c.dsClass() == 0 && c.dsIndex() == ifIndex)
                .map(c -> (GenericInterface) c.records().get(0)).toList();
        assertThat(mine.size()).isGreaterThanOrEqualTo(2);
        GenericInterface first = mine.get(0);
        GenericInterface last = mine.get(mine.size() - 1);
        for (int i = 1; i < mine.size(); i++) {
            assertThat(mine.get(i).outUcastPkts()).as("counters never go back").isGreaterThanOrEqualTo(
                    mine.get(i - 1).outUcastPkts());
        }
        assertThat(last.outUcastPkts()).isGreaterThanOrEqualTo(txAfter);
        assertThat(last.outUcastPkts() - first.outUcastPkts()).as("counters advance with the traffic").isPositive();
        assertThat(last.outOctets() - first.outOctets()).isGreaterThan((last.outUcastPkts() - first.outUcastPkts()) * 60);
        assertThat(last.ifSpeed()).isEqualTo(10_000_000_000L);
        assertThat(last.ifStatus()).isEqualTo(3);
        List<CounterSample> host = datagrams.stream().flatMap(d -> d.counterSamples().stream())
                .filter(c -> c.dsClass() == 2).toList();
        assertThat(host).isNotEmpty();
        assertThat(host.get(0).records()).hasSize(6);
    }

    static List<Datagram> decoded(UdpCollector collector) {
        return collector.datagrams().stream().map(b -> SflowDecoder.decode(b, b.length)).toList();
    }

    static List<String> lines(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p) : new ArrayList<>();
    }
}

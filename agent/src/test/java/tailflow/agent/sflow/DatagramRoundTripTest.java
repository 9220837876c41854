package tailflow.agent.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import tailflow.agent.sflow.SflowDecoder.Datagram;
import tailflow.agent.sflow.record.CounterSample;
import tailflow.agent.sflow.record.ExtendedTimestamp;
import tailflow.agent.sflow.record.FlowSample;
import tailflow.agent.sflow.record.GenericInterface;
import tailflow.agent.sflow.record.HostAdapters;
import tailflow.agent.sflow.record.HostCpu;
import tailflow.agent.sflow.record.HostDescr;
import tailflow.agent.sflow.record.HostDiskIo;
import tailflow.agent.sflow.record.HostMemory;
import tailflow.agent.sflow.record.HostNetIo;
import tailflow.agent.sflow.record.PortName;
import tailflow.agent.sflow.record.RawPacketHeader;
import tailflow.agent.sflow.record.TcpInfo;

class DatagramRoundTripTest {

    /** Collects sent datagrams as copies (the assembler reuses its buffer). */
    static final class Captured implements DatagramAssembler.Sink {
        final List<byte[]> datagrams = new ArrayList<>();

        @Override
        public void send(byte[] datagram, int length) {
            datagrams.add(Arrays.copyOf(datagram, length));
        }

        Datagram decode(int i) {
            return SflowDecoder.decode(datagrams.get(i), datagrams.get(i).length);
        }
    }

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    static FlowSample flow(long seq, int headerBytes) {
        byte[] header = new byte[headerBytes];
        for (int i = 0; i < header.length; i++) {
            header[i] = (byte) (i * 7 + 1);
        }
        return new FlowSample(seq, 0, 7, 400, 123_456, 3, 0, 7, 0, FlowSample.INTERNAL, List.of(
                new RawPacketHeader(RawPacketHeader.ETHERNET, 1518, 4, header),
                new TcpInfo(TcpInfo.SENT, 1448, 536, 2, 1, 5, 1500, 2_345, 678, 10, 3, 1_200),
                new ExtendedTimestamp(1_764_000_000_123_456_789L)));
    }

    static CounterSample hostSample() {
        byte[] uuid = HexFormat.of().parseHex("0123456789abcdef0123456789abcdef");
        return new CounterSample(9, CounterSample.DS_HOST, 1, List.of(
                new HostDescr("lab-host-1", uuid, HostDescr.MACHINE_ARM, HostDescr.OS_LINUX, "6.1.0-armmp"),
                new HostAdapters(List.of(new HostAdapters.Adapter(2, List.of(new MacAddress(0x020000000001L))),
                        new HostAdapters.Adapter(5, List.of(new MacAddress(0xaabbccddeeffL))))),
                new HostCpu(0.5f, 1.25f, 2f, 2, 345, 4, 1200, 86_400, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110,
                        0xFFFF_FFFFL),
                new HostMemory(8L << 30, 1L << 30, 2L << 20, 3L << 20, 4L << 30, 1L << 31, 1L << 30, 11, 12, 13, 14),
                new HostDiskIo(500L << 30, 200L << 30, 6_012, 1_000, 5L << 32, 77, 2_000, 7L << 32, 88),
                new HostNetIo(9L << 32, 1, 2, 3, 8L << 32, 4, 5, 6)));
    }

    static CounterSample ifSample() {
        return new CounterSample(4, CounterSample.DS_INTERFACE, 7, List.of(
                new GenericInterface(7, 6, 10_000_000_000L, 1, 3, 5L << 32, 100, 2, GenericInterface.UNKNOWN, 0, 1,
                        GenericInterface.UNKNOWN, 6L << 32, 200, GenericInterface.UNKNOWN, GenericInterface.UNKNOWN,
                        4, 5, 2),
                new PortName("tfs-veth0")));
    }

    @Test
    void everySampleAndRecordTypeSurvivesEncodeAndDecode() throws Exception {
        Captured out = new Captured();
        DatagramAssembler asm = new DatagramAssembler(ip("10.201.0.1"), 0, 1400, () -> 42_000, out, new SflowMetrics(new tailflow.agent.ops.metrics.Metrics()));
        FlowSample f = flow(1, 128);
        CounterSample host = hostSample();
        CounterSample port = ifSample();
        asm.add(f);
        asm.add(host);
        asm.add(port);
        asm.flush();

        assertThat(out.datagrams).hasSize(1);
        Datagram d = out.decode(0);
        assertThat(d.version()).isEqualTo(5);
        assertThat(d.agent()).isEqualTo(ip("10.201.0.1"));
        assertThat(d.sequence()).isEqualTo(1);
        assertThat(d.uptimeMs()).isEqualTo(42_000);
        assertThat(d.samples()).containsExactly(f, host, port);
        assertThat(out.datagrams.get(0).length).isLessThanOrEqualTo(1400);
    }

    @Test
    void ipv6AgentAddressAndSequencePerDatagram() throws Exception {
        Captured out = new Captured();
        DatagramAssembler asm = new DatagramAssembler(ip("fd00::1"), 3, 1400, () -> 1, out, new SflowMetrics(new tailflow.agent.ops.metrics.Metrics()));
        for (int i = 0; i < 3; i++) {
            asm.add(ifSample());
            asm.flush();
        }
        asm.flush(); // nothing pending: no empty datagram
        assertThat(out.datagrams).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Datagram d = out.decode(i);
            assertThat(d.agent()).isEqualTo(ip("fd00::1"));
            assertThat(d.subAgentId()).isEqualTo(3);
            assertThat(d.sequence()).isEqualTo(i + 1);
        }
    }

    @Test
    void datagramsStayWithinTheByteLimitAndSixtyFourSamples() throws Exception {
        Captured out = new Captured();
        SflowMetrics m = new SflowMetrics(new tailflow.agent.ops.metrics.Metrics());
        DatagramAssembler asm = new DatagramAssembler(ip("10.201.0.1"), 0, 1400, () -> 1, out, m);
        for (int i = 0; i < 100; i++) {
            asm.add(flow(i, 128));
        }
        asm.flush();
        int total = 0;
        for (int i = 0; i < out.datagrams.size(); i++) {
            assertThat(out.datagrams.get(i).length).isLessThanOrEqualTo(1400);
            total += out.decode(i).samples().size();
        }
        assertThat(total).isEqualTo(100);

        Captured small = new Captured();
        DatagramAssembler tiny = new DatagramAssembler(ip("10.201.0.1"), 0, 65_000, () -> 1, small, m);
        for (int i = 0; i < 130; i++) {
            tiny.add(new CounterSample(i, 0, 1, List.of(new PortName("x"))));
        }
        tiny.flush();
        assertThat(small.datagrams).extracting(b -> SflowDecoder.decode(b, b.length).samples().size())
                .containsExactly(64, 64, 2);

        DatagramAssembler strict = new DatagramAssembler(ip("10.201.0.1"), 0, 200, () -> 1, small, m);
        strict.add(flow(1, 256));
        assertThat(m.oversizedSamples.sum()).isEqualTo(1);
    }

    @Test
    void tellsItsOwnerWhenADatagramGetsItsFirstSampleSoOneFlushDeadlineCanBeArmed() throws Exception {
        Captured out = new Captured();
        int[] started = new int[1];
        DatagramAssembler asm = new DatagramAssembler(ip("10.201.0.1"), 0, 1400, () -> 1, out,
                new SflowMetrics(new tailflow.agent.ops.metrics.Metrics()), () -> started[0]++);
        asm.flush();
        assertThat(started[0]).as("nothing added, nothing to arm").isZero();
        for (int i = 0; i < 3; i++) {
            asm.add(flow(i, 128));
        }
        assertThat(started[0]).as("three samples, one datagram started").isEqualTo(1);
        asm.flush();
        asm.add(flow(3, 128));
        assertThat(started[0]).as("the next sample starts the next datagram").isEqualTo(2);
        for (int i = 4; i < 100; i++) {
            asm.add(flow(i, 128));
        }
        assertThat(out.datagrams).as("full datagrams left on add").hasSizeGreaterThan(1);
        assertThat(started[0]).as("one start per datagram").isEqualTo(out.datagrams.size() + 1);
    }

    /**
     * A golden datagram written out by hand from the spec, field by field, so an encoder and a decoder
     * that agreed on the same mistake would still fail here.
     */
    @Test
    void goldenBytesFieldByField() throws Exception {
        Captured out = new Captured();
        DatagramAssembler asm = new DatagramAssembler(ip("10.201.0.1"), 0, 1400, () -> 0x01020304L, out,
                new SflowMetrics(new tailflow.agent.ops.metrics.Metrics()));
        asm.add(new FlowSample(5, 0, 7, 400, 1000, 2, 0, 7, 0, FlowSample.INTERNAL, List.of(
                new RawPacketHeader(1, 64, 4, new byte[] {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD,
                        (byte) 0xEE}))));
        asm.add(new CounterSample(6, 0, 7, List.of(new PortName("eth0"))));
        asm.flush();
        String expected = String.join("",
                "00000005", "00000001", "0ac90001", // version, address type IPv4, 10.201.0.1
                "00000000", "00000001", "01020304", "00000002", // sub agent, sequence, uptime, samples
                "00000003", "0000004c", // expanded flow sample, 76 bytes
                "00000005", "00000000", "00000007", // sequence, ds class, ds index
                "00000190", "000003e8", "00000002", // rate 400, pool 1000, drops 2
                "00000000", "00000007", "00000000", "3fffffff", // input ifIndex 7, output internal
                "00000001", // one record
                "00000001", "00000018", // raw header, 24 bytes
                "00000001", "00000040", "00000004", "00000005", "aabbccddee000000", // eth, 64, 4, len 5 + pad
                "00000004", "00000020", // expanded counters sample, 32 bytes
                "00000006", "00000000", "00000007", "00000001", // seq, class, index, one record
                "000003ed", "00000008", "00000004", "65746830"); // port name 0:1005, "eth0"
        assertThat(HexFormat.of().formatHex(out.datagrams.get(0))).isEqualTo(expected);
    }

    @Test
    void genericInterfaceIsEightyEightBytes() throws Exception {
        Captured out = new Captured();
        DatagramAssembler asm = new DatagramAssembler(ip("10.201.0.1"), 0, 1400, () -> 0, out, new SflowMetrics(new tailflow.agent.ops.metrics.Metrics()));
        asm.add(new CounterSample(1, 0, 7, List.of(ifSample().records().get(0))));
        asm.flush();
        byte[] d = out.datagrams.get(0);
        // header 28, sample tag+len 8, sample fields 16, record tag 4, then the record length
        int recordLength = ((d[28 + 8 + 16 + 4] & 0xFF) << 24) | ((d[57] & 0xFF) << 16) | ((d[58] & 0xFF) << 8)
                | (d[59] & 0xFF);
        assertThat(recordLength).isEqualTo(88);
    }
}

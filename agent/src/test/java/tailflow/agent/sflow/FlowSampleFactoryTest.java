package tailflow.agent.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.sflow.record.FlowSample;
import tailflow.agent.sflow.record.RawPacketHeader;
import tailflow.agent.sflow.record.TcpInfo;

class FlowSampleFactoryTest {
    static final MacAddress OURS = new MacAddress(0x020000000001L);
    static final NetInterface ETH0 = new NetInterface("eth0", 7, 7, 1, 1_000_000_000L, 1, true, true, false,
            Optional.of(OURS), List.of());

    /** Ethernet + IPv4 + TCP 10.201.0.1:40000 -> 10.201.0.2:80, IP total length 60. */
    static byte[] frame(String srcMac, String dstMac) {
        return HexFormat.of().parseHex(dstMac + srcMac + "0800"
                + "4500003c00004000400600000ac900010ac90002" + "9c400050000000000000000050020000" + "00000000");
    }

    @Test
    void aFrameFromOurMacWasSentByThisHost() {
        List<String> lookups = new ArrayList<>();
        FlowSampleFactory f = new FlowSampleFactory(ETH0, PacketView.DLT_EN10MB, (dirn, p, ifIndex) -> {
            lookups.add(dirn + " " + p.src().getHostAddress() + ":" + p.srcPort() + ">" + p.dst().getHostAddress()
                    + ":" + p.dstPort() + " if" + ifIndex);
            return Optional.of(new TcpInfo(dirn, 1448, 536, 0, 0, 0, 1500, 100, 50, 10, 3, 90));
        });
        byte[] b = frame("020000000001", "0a0000000002");
        FlowSample s = f.sample(3, 400, 1234, 5, b, b.length, 74);

        assertThat(s.inputValue()).isEqualTo(FlowSample.INTERNAL);
        assertThat(s.outputValue()).isEqualTo(7);
        assertThat(s.dsIndex()).isEqualTo(7);
        assertThat(s.samplePool()).isEqualTo(1234);
        assertThat(s.drops()).isEqualTo(5);
        RawPacketHeader h = (RawPacketHeader) s.records().get(0);
        assertThat(h.protocol()).isEqualTo(RawPacketHeader.ETHERNET);
        assertThat(h.frameLength()).as("wire length + FCS").isEqualTo(78);
        assertThat(h.stripped()).isEqualTo(4);
        assertThat(h.header()).isEqualTo(b);
        assertThat(s.records().get(1)).isInstanceOf(TcpInfo.class);
        assertThat(lookups).containsExactly("2 10.201.0.1:40000>10.201.0.2:80 if7");
    }

    @Test
    void aFrameFromAnotherMacWasReceived() {
        FlowSampleFactory f = new FlowSampleFactory(ETH0, PacketView.DLT_EN10MB, FlowSampleFactory.TcpLookup.NONE);
        byte[] b = frame("0a0000000002", "020000000001");
        FlowSample s = f.sample(1, 400, 0, 0, b, b.length, 74);
        assertThat(s.inputValue()).isEqualTo(7);
        assertThat(s.outputValue()).isEqualTo(FlowSample.INTERNAL);
        assertThat(s.records()).hasSize(1);
    }

    @Test
    void withoutAMacHeaderTheDirectionIsUnknownAndFourteenMoreBytesCountAsStripped() {
        NetInterface tun = new NetInterface("tun0", 9, 9, 65534, -1, 0, true, true, false, Optional.empty(), List.of());
        FlowSampleFactory f = new FlowSampleFactory(tun, PacketView.DLT_RAW, FlowSampleFactory.TcpLookup.NONE);
        byte[] eth = frame("0a0000000002", "020000000001");
        byte[] ip = java.util.Arrays.copyOfRange(eth, 14, eth.length);
        FlowSample s = f.sample(1, 100, 0, 0, ip, ip.length, 60);
        RawPacketHeader h = (RawPacketHeader) s.records().get(0);
        assertThat(h.protocol()).isEqualTo(RawPacketHeader.IPV4);
        assertThat(h.stripped()).isEqualTo(18);
        assertThat(h.frameLength()).isEqualTo(60 + 18);
        assertThat(s.inputValue()).isZero();
        assertThat(s.outputValue()).isZero();
    }

    @Test
    void packetViewFindsTcpPortsInIpv6AndSkipsOtherProtocols() {
        // Ethernet, IPv6 header field by field (payload length 20, next header TCP), then TCP ports
        String hex = "0a0000000002" + "020000000001" + "86dd" + "60000000" + "0014" + "06" + "40"
                + "fe800000000000000000000000000001" + "fe800000000000000000000000000002"
                + "c3500050" + "00000000";
        byte[] b = HexFormat.of().parseHex(hex);
        PacketView p = PacketView.tcp(PacketView.DLT_EN10MB, b, b.length).orElseThrow();
        assertThat(p.srcPort()).isEqualTo(50000);
        assertThat(p.dstPort()).isEqualTo(80);
        assertThat(p.dst().getHostAddress()).startsWith("fe80:0:0:0:0:0:0:2");
        byte[] udp = frame("0a0000000002", "020000000001");
        udp[14 + 9] = 17;
        assertThat(PacketView.tcp(PacketView.DLT_EN10MB, udp, udp.length)).isEmpty();
    }
}

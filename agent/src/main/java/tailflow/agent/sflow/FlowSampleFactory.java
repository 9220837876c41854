package tailflow.agent.sflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import tailflow.agent.sflow.record.FlowRecord;
import tailflow.agent.sflow.record.FlowSample;
import tailflow.agent.sflow.record.RawPacketHeader;
import tailflow.agent.sflow.record.TcpInfo;

/**
 * Turns one captured packet into an expanded flow sample, following the host model: a frame whose
 * source MAC is the interface's own was sent by this host (input internal, output ifIndex); any other
 * frame was received (input ifIndex, output internal); without a MAC to compare, both are 0 (unknown).
 */
public final class FlowSampleFactory {

    /** Looks up the local socket's TCP state for a sampled TCP packet. */
    @FunctionalInterface
    public interface TcpLookup {
        /** @param ifIndex where the packet was seen: link-local IPv6 sockets are bound to it */
        Optional<TcpInfo> lookup(int dirn, PacketView packet, int ifIndex);

        TcpLookup NONE = (d, p, i) -> Optional.empty();
    }

    private final NetInterface iface;
    private final int dlt;
    private final TcpLookup tcp;

    public FlowSampleFactory(NetInterface iface, int dlt, TcpLookup tcp) {
        this.iface = iface;
        this.dlt = dlt;
        this.tcp = tcp;
    }

    /**
     * @param frame       captured bytes (already cut to the snap length)
     * @param caplen      valid bytes in {@code frame}
     * @param wireLength  the packet's original length as pcap reports it (no FCS)
     */
    public FlowSample sample(long sequence, int rate, long pool, long drops, byte[] frame, int caplen, int wireLength) {
        boolean ethernet = dlt == PacketView.DLT_EN10MB;
        int protocol;
        long stripped = RawPacketHeader.FCS_BYTES;
        if (ethernet) {
            protocol = RawPacketHeader.ETHERNET;
        } else {
            int ip = PacketView.ipOffset(dlt, frame, caplen);
            protocol = ip >= 0 && caplen > 0 && (frame[0] & 0xF0) == 0x60 ? RawPacketHeader.IPV6 : RawPacketHeader.IPV4;
            stripped += 14; // no MAC header: the 14 bytes a MAC header would have had count as stripped
        }
        long in = 0;
        long out = 0;
        int dirn = 0;
        if (ethernet && caplen >= 12 && iface.mac().isPresent()) {
            boolean fromUs = MacAddress.bitsAt(frame, 6) == iface.mac().get().bits();
            in = fromUs ? FlowSample.INTERNAL : iface.ifIndex();
            out = fromUs ? iface.ifIndex() : FlowSample.INTERNAL;
            dirn = fromUs ? TcpInfo.SENT : TcpInfo.RECEIVED;
        }
        List<FlowRecord> records = new ArrayList<>(2);
        records.add(new RawPacketHeader(protocol, wireLength + stripped, stripped, Arrays.copyOf(frame, caplen)));
        if (dirn != 0) {
            final int d = dirn;
            PacketView.tcp(dlt, frame, caplen).flatMap(p -> tcp.lookup(d, p, iface.ifIndex())).ifPresent(records::add);
        }
        return new FlowSample(sequence, 0, iface.ifIndex(), rate, pool, drops, 0, in, 0, out, records);
    }
}

package tailflow.agent.sflow.record;

import java.util.Arrays;
import tailflow.agent.sflow.xdr.XdrWriter;

/**
 * 0:1 sampled packet header.
 *
 * @param protocol    1 Ethernet, 11 IPv4, 12 IPv6 (no MAC header)
 * @param frameLength original length on the wire including the 4-byte FCS
 * @param stripped    bytes removed before the header: 4 (FCS), +14 without a MAC header
 */
public record RawPacketHeader(int protocol, long frameLength, long stripped, byte[] header) implements FlowRecord {
    public static final int TAG = 1;
    public static final int ETHERNET = 1;
    public static final int IPV4 = 11;
    public static final int IPV6 = 12;
    public static final int FCS_BYTES = 4;

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.u32(protocol).u32(frameLength).u32(stripped).opaque(header, 0, header.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawPacketHeader r && r.protocol == protocol && r.frameLength == frameLength
                && r.stripped == stripped && Arrays.equals(r.header, header);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(header) * 31 + Long.hashCode(frameLength);
    }

    @Override
    public String toString() {
        return "RawPacketHeader[protocol=" + protocol + ", frameLength=" + frameLength + ", stripped=" + stripped
                + ", headerLength=" + header.length + "]";
    }
}

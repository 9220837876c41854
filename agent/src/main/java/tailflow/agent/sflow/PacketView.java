package tailflow.agent.sflow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Just enough parsing of a captured header to find a TCP packet's addresses and ports: Ethernet
 * (optionally one 802.1Q tag) or raw IP, then IPv4 or IPv6 (no extension headers), then TCP.
 */
public record PacketView(InetAddress src, int srcPort, InetAddress dst, int dstPort) {

    public static final int DLT_EN10MB = 1;
    public static final int DLT_RAW = 12;
    public static final int LINKTYPE_RAW = 101;
    private static final int TCP = 6;

    /** Offset of the IP header for this link type, or -1 when the frame is not IP. */
    public static int ipOffset(int dlt, byte[] frame, int len) {
        if (dlt == DLT_RAW || dlt == LINKTYPE_RAW) {
            return 0;
        }
        if (dlt != DLT_EN10MB || len < 14) {
            return -1;
        }
        int type = u16(frame, 12);
        int off = 14;
        if (type == 0x8100 && len >= 18) {
            type = u16(frame, 16);
            off = 18;
        }
        return type == 0x0800 || type == 0x86DD ? off : -1;
    }

    public static Optional<PacketView> tcp(int dlt, byte[] frame, int len) {
        int ip = ipOffset(dlt, frame, len);
        if (ip < 0 || ip >= len) {
            return Optional.empty();
        }
        int version = (frame[ip] & 0xF0) >>> 4;
        int l4;
        byte[] s;
        byte[] d;
        if (version == 4 && len >= ip + 20) {
            if ((frame[ip + 9] & 0xFF) != TCP) {
                return Optional.empty();
            }
            l4 = ip + (frame[ip] & 0x0F) * 4;
            s = Arrays.copyOfRange(frame, ip + 12, ip + 16);
            d = Arrays.copyOfRange(frame, ip + 16, ip + 20);
        } else if (version == 6 && len >= ip + 40) {
            if ((frame[ip + 6] & 0xFF) != TCP) {
                return Optional.empty();
            }
            l4 = ip + 40;
            s = Arrays.copyOfRange(frame, ip + 8, ip + 24);
            d = Arrays.copyOfRange(frame, ip + 24, ip + 40);
        } else {
            return Optional.empty();
        }
        if (len < l4 + 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PacketView(InetAddress.getByAddress(s), u16(frame, l4), InetAddress.getByAddress(d),
                    u16(frame, l4 + 2)));
        } catch (UnknownHostException e) {
            return Optional.empty(); // 4 or 16 bytes never fail
        }
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }
}

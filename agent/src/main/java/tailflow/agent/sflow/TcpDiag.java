package tailflow.agent.sflow;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import tailflow.agent.sflow.record.TcpInfo;

/**
 * The kernel's TCP state for one local socket, by exact 4-tuple lookup over NETLINK_SOCK_DIAG
 * (inet_diag_req_v2 with INET_DIAG_INFO), through JNA: no {@code ss} process per sample.
 * The kernel answers within our sendto, so the receive never waits (MSG_DONTWAIT).
 * Netlink headers and tcp_info are in host byte order; ports and addresses in network order.
 */
public final class TcpDiag implements AutoCloseable {
    private static final Logger LOG = System.getLogger("tailflow.agent.sflow");
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000; // O_CLOEXEC: same value on x86, arm and arm64
    private static final int NETLINK_SOCK_DIAG = 4;
    private static final short SOCK_DIAG_BY_FAMILY = 20;
    private static final short NLMSG_ERROR = 2;
    private static final short NLM_F_REQUEST = 1;
    private static final int INET_DIAG_INFO = 2;
    private static final int IPPROTO_TCP = 6;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int REQUEST_BYTES = 16 + 56;
    private static final int INET_DIAG_MSG_BYTES = 72;

    interface Calls extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen)
                throws LastErrorException;

        NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

        int close(int fd);
    }

    private final Calls calls;
    private final int fd;
    private final ByteOrder host = ByteOrder.nativeOrder();
    private final byte[] request = new byte[REQUEST_BYTES];
    private final byte[] reply = new byte[8192];
    private final byte[] kernel = new byte[12];
    private int seq;

    private TcpDiag(Calls calls, int fd) {
        this.calls = calls;
        this.fd = fd;
        ByteBuffer.wrap(kernel).order(host).putShort((short) AF_NETLINK); // sockaddr_nl of the kernel: pid 0
    }

    /** Empty (and a logged reason) when netlink sock_diag is unavailable: tcp_info records are then left out. */
    public static Optional<TcpDiag> open() {
        try {
            Calls c = Native.load("c", Calls.class);
            return Optional.of(new TcpDiag(c, c.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)));
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            LOG.log(Level.WARNING, "tcp { }: no netlink sock_diag (" + e.getMessage()
                    + "); samples carry no tcp_info");
            return Optional.empty();
        }
    }

    /**
     * tcp_info of the socket this sampled packet belongs to: for a packet we sent the local end is its
     * source, for one we received its destination. Empty when no local socket matches.
     */
    public synchronized Optional<TcpInfo> lookup(int dirn, PacketView p, int ifIndex) {
        boolean sent = dirn == TcpInfo.SENT;
        InetAddress local = sent ? p.src() : p.dst();
        InetAddress remote = sent ? p.dst() : p.src();
        int lport = sent ? p.srcPort() : p.dstPort();
        int rport = sent ? p.dstPort() : p.srcPort();
        ByteBuffer b = ByteBuffer.wrap(request).order(host);
        b.putInt(REQUEST_BYTES).putShort(SOCK_DIAG_BY_FAMILY).putShort(NLM_F_REQUEST).putInt(++seq).putInt(0);
        b.put((byte) (local instanceof Inet6Address ? AF_INET6 : AF_INET)).put((byte) IPPROTO_TCP)
                .put((byte) (1 << (INET_DIAG_INFO - 1))).put((byte) 0).putInt(-1); // all states
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) lport).putShort((short) rport);
        putAddress(b, local);
        putAddress(b, remote);
        // the interface matters for sockets bound to one (link-local IPv6); unbound sockets match any
        b.order(host).putInt(ifIndex).putInt(-1).putInt(-1); // INET_DIAG_NOCOOKIE
        try {
            calls.sendto(fd, request, new NativeLong(REQUEST_BYTES), 0, kernel, kernel.length);
            int n = calls.recv(fd, reply, new NativeLong(reply.length), MSG_DONTWAIT).intValue();
            return parse(ByteBuffer.wrap(reply, 0, n).order(host), dirn);
        } catch (LastErrorException e) {
            return Optional.empty();
        }
    }

    private static void putAddress(ByteBuffer b, InetAddress a) {
        byte[] raw = a.getAddress();
        b.put(raw);
        for (int i = raw.length; i < 16; i++) {
            b.put((byte) 0);
        }
    }

    private Optional<TcpInfo> parse(ByteBuffer b, int dirn) {
        if (b.remaining() < 16) {
            return Optional.empty();
        }
        int len = b.getInt(0);
        short type = b.getShort(4);
        int replySeq = b.getInt(8);
        if (type == NLMSG_ERROR || type != SOCK_DIAG_BY_FAMILY || replySeq != seq || len > b.limit()) {
            return Optional.empty(); // ENOENT: not a local socket
        }
        int at = 16 + INET_DIAG_MSG_BYTES;
        while (at + 4 <= len) {
            int rtaLen = b.getShort(at) & 0xFFFF;
            int rtaType = b.getShort(at + 2) & 0xFFFF;
            if (rtaLen < 4) {
                break;
            }
            if (rtaType == INET_DIAG_INFO) {
                return Optional.of(tcpInfo(b.slice(at + 4, rtaLen - 4).order(host), dirn));
            }
            at += (rtaLen + 3) & ~3;
        }
        return Optional.empty();
    }

    /** Offsets of struct tcp_info (linux/tcp.h); fields a short (older kernel's) struct lacks are 0. */
    static TcpInfo tcpInfo(ByteBuffer t, int dirn) {
        return new TcpInfo(dirn, u32(t, 16), u32(t, 20), u32(t, 24), u32(t, 32), u32(t, 100), u32(t, 60),
                u32(t, 68), u32(t, 72), u32(t, 80), u32(t, 88), u32(t, 148));
    }

    private static long u32(ByteBuffer t, int off) {
        return off + 4 <= t.limit() ? t.getInt(off) & 0xFFFF_FFFFL : 0;
    }

    @Override
    public void close() {
        calls.close(fd);
    }
}

package tailflow.agent.sflow;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * One network interface as the kernel describes it in sysfs, plus its addresses.
 *
 * @param ifLink     the ifindex of the peer/lower device; differs from ifIndex for veth peers and the like
 * @param type       ARPHRD type (1 Ethernet, 772 loopback)
 * @param speedBps   link speed in bits per second, or {@link #UNKNOWN_SPEED}
 * @param ifDirection sFlow ifDirection: 1 full duplex, 2 half, 0 unknown
 */
public record NetInterface(
        String name,
        int ifIndex,
        int ifLink,
        int type,
        long speedBps,
        int ifDirection,
        boolean adminUp,
        boolean operUp,
        boolean promiscuous,
        Optional<MacAddress> mac,
        List<InetAddress> addresses) {

    public static final long UNKNOWN_SPEED = -1;
    public static final int ARPHRD_ETHER = 1;
    public static final int ARPHRD_LOOPBACK = 772;

    public NetInterface {
        addresses = List.copyOf(addresses);
    }

    public boolean speedKnown() {
        return speedBps >= 0;
    }

    public boolean loopback() {
        return type == ARPHRD_LOOPBACK;
    }

    /** A veth (or similar) whose ifindex and iflink differ: one end of a pair. */
    public boolean pairedPeer() {
        return ifLink != ifIndex && ifLink != 0;
    }

    public boolean ethernet() {
        return type == ARPHRD_ETHER;
    }
}

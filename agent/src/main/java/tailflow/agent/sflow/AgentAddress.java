package tailflow.agent.sflow;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import tailflow.agent.config.SflowConfig;

/**
 * The agent address put in every datagram, chosen as hsflowd does: each address of each interface
 * gets a base rank (loopback &lt; link-local &lt; private/unique-local &lt; public IPv6 &lt; public IPv4,
 * IPv6 below IPv4 within a class); an interface named by {@code agent = IFNAME} raises its
 * addresses above every base rank, and an address inside {@code agent.cidr} above that.
 * Ties go to the lower ifIndex, then the numerically lower address, so the choice is stable.
 *
 * @param why a human-readable reason, shown by {@code --dry-run}
 */
public record AgentAddress(InetAddress address, String ifName, String why) {

    private static final int BOOST_INTERFACE = 100;
    private static final int BOOST_CIDR = 200;

    /** Empty only when no interface has any address. */
    public static Optional<AgentAddress> choose(SflowConfig config, List<NetInterface> interfaces) {
        Optional<Cidr> cidr = config.agentCidr().map(Cidr::parse);
        record Candidate(NetInterface iface, InetAddress address, int rank, String why) {}
        Comparator<Candidate> best = Comparator.comparingInt(Candidate::rank).reversed()
                .thenComparingInt(c -> c.iface().ifIndex())
                .thenComparing(c -> c.address().getAddress(), java.util.Arrays::compareUnsigned);
        return interfaces.stream()
                .flatMap(i -> i.addresses().stream().map(a -> {
                    int rank = baseRank(a);
                    String why = baseName(a);
                    if (config.agentInterface().filter(i.name()::equals).isPresent()) {
                        rank += BOOST_INTERFACE;
                        why = "agent = " + i.name();
                    }
                    if (cidr.isPresent() && cidr.get().contains(a)) {
                        rank += BOOST_CIDR;
                        why = "agent.cidr = " + cidr.get();
                    }
                    return new Candidate(i, a, rank, why);
                }))
                .sorted(best)
                .findFirst()
                .map(c -> new AgentAddress(stripScope(c.address()), c.iface().name(), c.why()));
    }

    static int baseRank(InetAddress a) {
        boolean v4 = a instanceof Inet4Address;
        int cls;
        if (a.isLoopbackAddress()) {
            cls = 0;
        } else if (a.isLinkLocalAddress()) {
            cls = 1;
        } else if (a.isSiteLocalAddress() || uniqueLocal(a)) {
            cls = 2;
        } else {
            cls = 3;
        }
        return cls * 2 + (v4 ? 1 : 0);
    }

    private static String baseName(InetAddress a) {
        return switch (baseRank(a) / 2) {
            case 0 -> "loopback (no better address)";
            case 1 -> "link-local (no better address)";
            case 2 -> "private address";
            default -> "public address";
        };
    }

    /** fc00::/7; the JDK's isSiteLocalAddress only knows the deprecated fec0::/10. */
    private static boolean uniqueLocal(InetAddress a) {
        return a instanceof Inet6Address && (a.getAddress()[0] & 0xFE) == 0xFC;
    }

    /** The datagram carries bare bytes; a link-local's %scope would only confuse logs. */
    private static InetAddress stripScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
        }
    }

    public boolean ipv6() {
        return address instanceof Inet6Address;
    }
}

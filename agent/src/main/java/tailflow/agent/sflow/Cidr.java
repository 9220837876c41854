package tailflow.agent.sflow;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address prefix such as {@code 192.168.0.0/16} or {@code fd00::/8}. */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        int max = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0.." + max);
        }
    }

    /** Parses {@code address/len} (a bare address means a host prefix); numeric addresses only, never DNS. */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (!addr.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("agent.cidr '" + text + "' is not an address/prefix such as 192.168.0.0/16");
        }
        try {
            InetAddress a = InetAddress.getByName(addr);
            int len = slash < 0 ? a.getAddress().length * 8 : Integer.parseInt(t.substring(slash + 1));
            return new Cidr(a, len);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("agent.cidr '" + text + "' is not an address/prefix such as 192.168.0.0/16", e);
        }
    }

    public boolean contains(InetAddress a) {
        byte[] n = network.getAddress();
        byte[] x = a.getAddress();
        if (n.length != x.length) {
            return false;
        }
        int bits = prefixLength;
        for (int i = 0; i < n.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((n[i] & mask) != (x[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}

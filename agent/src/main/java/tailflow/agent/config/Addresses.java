package tailflow.agent.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Syntax checks for addresses in configs, without any DNS lookup. */
final class Addresses {
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}\\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern DOTTED_NUMBERS = Pattern.compile("[0-9.]+");
    private static final Pattern IFNAME = Pattern.compile("[^/\\s:]{1,15}");

    private Addresses() {}

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        if (!s.contains(":") || !s.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            // With a ':' in it, InetAddress parses a literal and never asks DNS.
            InetAddress.getByName(s);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isIp(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    /** An IP literal or a DNS name (looked up later, when sending). */
    static boolean isHost(String s) {
        if (isIp(s)) {
            return true;
        }
        return !DOTTED_NUMBERS.matcher(s).matches() && HOSTNAME.matcher(s).matches();
    }

    /** "192.168.0.0/16" or "fd00::/8". */
    static boolean isCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String addr = s.substring(0, slash);
        String bits = s.substring(slash + 1);
        if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int prefix = Integer.parseInt(bits);
        return isIpv4(addr) ? prefix <= 32 : isIpv6(addr) && prefix <= 128;
    }

    static boolean isInterfaceName(String s) {
        return IFNAME.matcher(s).matches() && !s.equals(".") && !s.equals("..");
    }
}

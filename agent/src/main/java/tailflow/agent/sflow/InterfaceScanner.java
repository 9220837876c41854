package tailflow.agent.sflow;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Lists the network interfaces under a sysfs root ({@code <root>/class/net/*}): ifindex, type,
 * speed (sysfs gives Mb/s; -1, a missing file or EINVAL as on loopback and down links mean unknown),
 * operstate, flags, duplex, MAC. Addresses come from an {@link AddressSource} because sysfs has none.
 */
public final class InterfaceScanner {

    private static final int IFF_UP = 0x1;
    private static final int IFF_PROMISC = 0x100;

    /** Where interface addresses come from: the JDK for the live system, a map in tests. */
    @FunctionalInterface
    public interface AddressSource {
        List<InetAddress> addresses(String ifName);

        /** The running system's addresses, through java.net.NetworkInterface. */
        static AddressSource system() {
            return name -> {
                try {
                    NetworkInterface ni = NetworkInterface.getByName(name);
                    return ni == null ? List.of() : Collections.list(ni.getInetAddresses());
                } catch (SocketException e) {
                    return List.of();
                }
            };
        }
    }

    private final Path sysRoot;
    private final AddressSource addressSource;

    /** @param sysRoot the sysfs mount point, {@code /sys} on a live system */
    public InterfaceScanner(Path sysRoot, AddressSource addressSource) {
        this.sysRoot = sysRoot;
        this.addressSource = addressSource;
    }

    /** Interfaces sorted by ifIndex; entries that vanish while being read are skipped. */
    public List<NetInterface> scan() throws IOException {
        Path dir = sysRoot.resolve("class/net");
        List<NetInterface> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                read(p).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparingInt(NetInterface::ifIndex));
        return out;
    }

    /**
     * What changes when an interface comes, goes, or goes up or down: names and operstates, from one
     * directory listing and one small read per interface. A full {@link #scan} reads nine attributes
     * per interface and asks the kernel for every interface's addresses once per interface.
     */
    public String fingerprint() throws IOException {
        List<String> parts = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(sysRoot.resolve("class/net"))) {
            for (Path p : entries) {
                parts.add(p.getFileName() + "=" + attr(p, "operstate").orElse("?"));
            }
        }
        Collections.sort(parts);
        return String.join(",", parts);
    }

    private Optional<NetInterface> read(Path dir) {
        String name = dir.getFileName().toString();
        Optional<String> ifindex = attr(dir, "ifindex");
        if (ifindex.isEmpty()) {
            return Optional.empty(); // not an interface directory, or gone since listing
        }
        int index = parseInt(ifindex.get(), 0);
        int link = parseInt(attr(dir, "iflink").orElse(""), index);
        int type = parseInt(attr(dir, "type").orElse(""), 0);
        long speed = attr(dir, "speed").map(InterfaceScanner::speedBps).orElse(NetInterface.UNKNOWN_SPEED);
        int flags = parseHex(attr(dir, "flags").orElse("0"));
        boolean operUp = attr(dir, "operstate").map(s -> s.equals("up")).orElse(false);
        int direction = attr(dir, "duplex").map(d -> switch (d) {
            case "full" -> 1;
            case "half" -> 2;
            default -> 0;
        }).orElse(0);
        Optional<MacAddress> mac = attr(dir, "address").flatMap(MacAddress::parse);
        return Optional.of(new NetInterface(name, index, link, type, speed, direction,
                (flags & IFF_UP) != 0, operUp, (flags & IFF_PROMISC) != 0, mac, addressSource.addresses(name)));
    }

    /** sysfs speed is in Mb/s; -1 and anything unparsable mean unknown. */
    static long speedBps(String mbps) {
        try {
            long v = Long.parseLong(mbps.trim());
            return v < 0 ? NetInterface.UNKNOWN_SPEED : v * 1_000_000L;
        } catch (NumberFormatException e) {
            return NetInterface.UNKNOWN_SPEED;
        }
    }

    /** A sysfs attribute, trimmed; empty when missing or unreadable (e.g. speed of a down link is EINVAL). */
    private static Optional<String> attr(Path dir, String name) {
        try {
            return Optional.of(Files.readString(dir.resolve(name)).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static int parseInt(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static int parseHex(String s) {
        String t = s.trim().startsWith("0x") ? s.trim().substring(2) : s.trim();
        try {
            return (int) Long.parseLong(t, 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

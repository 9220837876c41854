package tailflow.agent.sflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tailflow.agent.sflow.record.GenericInterface;

/**
 * Reads an interface's kernel counters from {@code <sysRoot>/class/net/NAME/statistics} and turns them
 * into the generic interface record. The kernel has no broadcast counts and no per-direction
 * multicast for transmit: those are {@link GenericInterface#UNKNOWN}.
 */
public final class InterfaceCounters {
    private final Path sysRoot;

    public InterfaceCounters(Path sysRoot) {
        this.sysRoot = sysRoot;
    }

    public GenericInterface generic(NetInterface i) {
        Path dir = statistics(i.name());
        long rxPackets = read(dir, "rx_packets");
        long multicast = read(dir, "multicast");
        return new GenericInterface(i.ifIndex(), ifType(i), Math.max(0, i.speedBps()), i.ifDirection(),
                (i.adminUp() ? 1 : 0) | (i.operUp() ? 2 : 0),
                orZero(read(dir, "rx_bytes")),
                rxPackets < 0 ? GenericInterface.UNKNOWN : rxPackets - Math.max(0, multicast),
                multicast < 0 ? GenericInterface.UNKNOWN : multicast,
                GenericInterface.UNKNOWN,
                u32(read(dir, "rx_dropped")),
                u32(read(dir, "rx_errors")),
                GenericInterface.UNKNOWN,
                orZero(read(dir, "tx_bytes")),
                u32(read(dir, "tx_packets")),
                GenericInterface.UNKNOWN,
                GenericInterface.UNKNOWN,
                u32(read(dir, "tx_dropped")),
                u32(read(dir, "tx_errors")),
                i.promiscuous() ? 1 : 2); // IF-MIB TruthValue: true(1), false(2)
    }

    /** IANA ifType: ethernetCsmacd(6), softwareLoopback(24), other(1). */
    static int ifType(NetInterface i) {
        if (i.ethernet()) {
            return 6;
        }
        return i.loopback() ? 24 : 1;
    }

    private Path statistics(String ifName) {
        return sysRoot.resolve("class/net").resolve(ifName).resolve("statistics");
    }

    private static long u32(long v) {
        return v < 0 ? GenericInterface.UNKNOWN : v & 0xFFFF_FFFFL;
    }

    private static long orZero(long v) {
        return Math.max(0, v);
    }

    private static long read(Path dir, String name) {
        try {
            return Long.parseLong(Files.readString(dir.resolve(name)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}

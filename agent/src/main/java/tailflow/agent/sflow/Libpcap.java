package tailflow.agent.sflow;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.List;
import java.util.Optional;

/**
 * Finds libpcap before pcap4j's first use. pcap4j loads the name in the system property
 * {@code org.pcap4j.core.pcapLibName} (default "pcap", i.e. libpcap.so, which only the -dev package
 * ships); Debian's runtime package has libpcap.so.0.8 (and .so.1 on newer releases), so unless the
 * user set the property we try those names and set it to the first that loads.
 * Also maps {@code pcap_fileno}, which pcap4j does not expose, to reach the capture socket, and binds
 * {@link PcapReader}'s per-packet calls to the same library.
 */
public final class Libpcap {
    public static final String PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final List<String> CANDIDATES = List.of("pcap", "libpcap.so.1", "libpcap.so.0.8");

    /** The two libpcap calls pcap4j does not give us. */
    interface Calls extends Library {
        int pcap_fileno(Pointer pcap);
    }

    private final String name;
    private final Calls calls;

    private Libpcap(String name) {
        this.name = name;
        this.calls = Native.load(name, Calls.class);
        PcapReader.Natives.bind(name);
    }

    public String name() {
        return name;
    }

    /**
     * Loads libpcap, setting pcap4j's property when the user did not; empty (with the reason in
     * {@code why[0]}) when no libpcap can be loaded.
     */
    public static Optional<Libpcap> load(String[] why) {
        String configured = System.getProperty(PROPERTY);
        List<String> names = configured != null ? List.of(configured) : CANDIDATES;
        StringBuilder errors = new StringBuilder();
        for (String n : names) {
            try {
                NativeLibrary.getInstance(n).getFunction("pcap_lib_version");
                if (configured == null) {
                    System.setProperty(PROPERTY, n);
                }
                return Optional.of(new Libpcap(n));
            } catch (UnsatisfiedLinkError e) {
                errors.append(errors.length() == 0 ? "" : "; ").append(n).append(": ").append(e.getMessage());
            }
        }
        why[0] = "libpcap not found (tried " + names + (configured != null ? " from -D" + PROPERTY : "")
                + "): install it (Debian: apt-get install libpcap0.8) or set -D" + PROPERTY
                + "=<file>; packet sampling is off, counters and logs keep running. " + errors;
        return Optional.empty();
    }

    /** The capture socket's file descriptor of an open pcap_t. */
    public int fileno(Pointer pcap) {
        return calls.pcap_fileno(pcap);
    }
}

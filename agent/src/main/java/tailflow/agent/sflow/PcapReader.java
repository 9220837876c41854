package tailflow.agent.sflow;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Reads the next packet of an open pcap_t without garbage per packet: pcap_next_ex through JNA's
 * direct mapping, its two out-pointers in one native block allocated once, the header's fields read
 * in place and the frame copied into one reused buffer. pcap4j's read allocated two JNA Memory
 * blocks per packet (malloc, a cleaner registration and a map entry each), which cost more CPU on
 * the capture thread and the JNA cleaner than the sample itself (JFR allocation profile, sflow bench).
 *
 * <p>One reader per capture thread; {@link #breakLoop()} is the one call another thread may make
 * (pcap_breakloop wakes a blocked pcap_next_ex through libpcap's eventfd).
 */
final class PcapReader {
    /** pcap_next_ex results. */
    static final int PACKET = 1;
    static final int TIMEOUT = 0;
    static final int ERROR = -1;
    static final int BREAK = -2;

    /** The natives, bound to the libpcap {@link Libpcap} found (JNA direct mapping: no proxy, no boxing). */
    static final class Natives {
        private Natives() {
        }

        static native int pcap_next_ex(Pointer pcap, Pointer header, Pointer data);

        static native void pcap_breakloop(Pointer pcap);

        static native String pcap_geterr(Pointer pcap);

        static void bind(String library) {
            Native.register(Natives.class, NativeLibrary.getInstance(library));
        }
    }

    private final Pointer pcap;
    private final Memory slots = new Memory(2L * Native.POINTER_SIZE);
    private final Pointer dataSlot = slots.share(Native.POINTER_SIZE);
    private final byte[] frame;
    private int caplen;
    private int wireLength;
    private long micros;

    /** @param snaplen the capture's snap length: no frame is longer */
    PcapReader(Pointer pcap, int snaplen) {
        this.pcap = pcap;
        this.frame = new byte[Math.max(snaplen, 1)];
    }

    /** One of {@link #PACKET}, {@link #TIMEOUT}, {@link #ERROR} ({@link #error()}) or {@link #BREAK}. */
    int next() {
        int rc = Natives.pcap_next_ex(pcap, slots, dataSlot);
        if (rc != PACKET) {
            return rc;
        }
        // struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; }: timeval's
        // two fields are C longs on Linux (4 bytes on armv7, 8 on x86_64 and aarch64).
        Pointer header = slots.getPointer(0);
        micros = cLong(header, 0) * 1_000_000L + cLong(header, Native.LONG_SIZE);
        caplen = Math.min(header.getInt(2L * Native.LONG_SIZE), frame.length);
        wireLength = header.getInt(2L * Native.LONG_SIZE + 4);
        slots.getPointer(Native.POINTER_SIZE).read(0, frame, 0, caplen);
        return PACKET;
    }

    private static long cLong(Pointer p, long offset) {
        return Native.LONG_SIZE == 8 ? p.getLong(offset) : p.getInt(offset);
    }

    /** The last packet's bytes: valid up to {@link #caplen()}, overwritten by the next read. */
    byte[] frame() {
        return frame;
    }

    int caplen() {
        return caplen;
    }

    /** The packet's length on the wire. */
    int wireLength() {
        return wireLength;
    }

    /** The kernel's timestamp of the last packet, microseconds since the epoch. */
    long micros() {
        return micros;
    }

    /** libpcap's message for the last {@link #ERROR}. */
    String error() {
        return Natives.pcap_geterr(pcap);
    }

    /** Makes a blocked or the next {@link #next()} return {@link #BREAK}; safe from another thread. */
    void breakLoop() {
        Natives.pcap_breakloop(pcap);
    }
}

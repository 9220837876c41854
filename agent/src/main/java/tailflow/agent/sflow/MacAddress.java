package tailflow.agent.sflow;

import java.util.Optional;

/** A 48-bit Ethernet address held in the low bits of a long, so the record compares by value. */
public record MacAddress(long bits) {

    public MacAddress {
        if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: " + Long.toHexString(bits));
        }
    }

    /** Parses sysfs's {@code aa:bb:cc:dd:ee:ff}; empty for anything else (e.g. a tunnel's 0-byte or 20-byte address). */
    public static Optional<MacAddress> parse(String text) {
        String t = text.trim();
        String[] parts = t.split(":");
        if (parts.length != 6) {
            return Optional.empty();
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2) {
                return Optional.empty();
            }
            try {
                v = (v << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new MacAddress(v));
    }

    /** Reads 6 bytes at {@code offset} (e.g. a captured frame's source address). */
    public static long bitsAt(byte[] frame, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (frame[offset + i] & 0xFF);
        }
        return v;
    }

    public boolean isZero() {
        return bits == 0;
    }

    public byte[] bytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (bits >>> (8 * (5 - i)));
        }
        return b;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (byte x : bytes()) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }
}

package tailflow.agent.logs;

/**
 * Copies UTF-8 bytes, replacing every invalid sequence with U+FFFD (EF BF BD) the way Java's
 * decoder does (maximal subpart: one replacement per invalid prefix), so a line with a broken
 * byte is shipped, not dropped. ASCII runs take the fast path.
 */
public final class Utf8 {

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {}

    /** Length of the leading ASCII run, eight bytes at a time. */
    static int asciiPrefix(byte[] src, int off, int len) {
        int i = 0;
        while (i + 8 <= len && ((long) LONGS.get(src, off + i) & HIGH_BITS) == 0) {
            i += 8;
        }
        while (i < len && src[off + i] >= 0) {
            i++;
        }
        return i;
    }

    /** Worst-case output size for {@code length} input bytes. */
    public static int maxRepairedLength(int length) {
        return length * 3;
    }

    /**
     * Copies src[off, off+len) to dst[at...] repairing invalid sequences.
     *
     * @return the number of bytes written; the caller reserved {@link #maxRepairedLength}
     */
    public static int copyRepaired(byte[] src, int off, int len, byte[] dst, int at) {
        int ascii = asciiPrefix(src, off, len);
        if (ascii == len) {
            System.arraycopy(src, off, dst, at, len); // the common case: one copy, no per-byte work
            return len;
        }
        System.arraycopy(src, off, dst, at, ascii);
        return ascii + copySlow(src, off + ascii, len - ascii, dst, at + ascii);
    }

    private static int copySlow(byte[] src, int off, int len, byte[] dst, int at) {
        int i = off;
        int end = off + len;
        int o = at;
        while (i < end) {
            byte b = src[i];
            if (b >= 0) {
                dst[o++] = b;
                i++;
                continue;
            }
            int n = validSequenceLength(src, i, end);
            if (n > 0) {
                System.arraycopy(src, i, dst, o, n);
                o += n;
                i += n;
            } else {
                dst[o++] = (byte) 0xEF;
                dst[o++] = (byte) 0xBF;
                dst[o++] = (byte) 0xBD;
                i += -n;
            }
        }
        return o - at;
    }

    /** Whether the bytes are valid UTF-8 (no copy). */
    public static boolean isValid(byte[] src, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; ) {
            if (src[i] >= 0) {
                i++;
            } else {
                int n = validSequenceLength(src, i, end);
                if (n <= 0) {
                    return false;
                }
                i += n;
            }
        }
        return true;
    }

    /**
     * Length of the valid multi-byte sequence at i, or minus the number of bytes to replace with
     * one U+FFFD (at least 1).
     */
    static int validSequenceLength(byte[] s, int i, int end) {
        int b0 = s[i] & 0xFF;
        int need;
        int min2;
        int max2 = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 2;
            min2 = 0x80;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            need = 3;
            min2 = b0 == 0xE0 ? 0xA0 : 0x80;
            if (b0 == 0xED) {
                max2 = 0x9F; // no surrogates
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            need = 4;
            min2 = b0 == 0xF0 ? 0x90 : 0x80;
            if (b0 == 0xF4) {
                max2 = 0x8F; // not above U+10FFFF
            }
        } else {
            return -1;
        }
        if (i + 1 >= end) {
            return -1;
        }
        int b1 = s[i + 1] & 0xFF;
        if (b1 < min2 || b1 > max2) {
            return -1;
        }
        for (int k = 2; k < need; k++) {
            if (i + k >= end || (s[i + k] & 0xC0) != 0x80) {
                return -k;
            }
        }
        return need;
    }

    /** Largest length <= max that does not end inside a multi-byte sequence. */
    public static int boundaryAtOrBefore(byte[] s, int off, int len, int max) {
        if (len <= max) {
            return len;
        }
        int cut = max;
        // step back over continuation bytes to the start of the sequence that would be split
        int k = cut;
        while (k > 0 && k > cut - 4 && (s[off + k] & 0xC0) == 0x80) {
            k--;
        }
        return (s[off + k] & 0xC0) == 0x80 ? cut : k == cut ? cut : k;
    }
}

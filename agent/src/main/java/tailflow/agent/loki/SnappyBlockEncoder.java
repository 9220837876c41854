package tailflow.agent.loki;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Snappy compression in the BLOCK format (what Loki's push endpoint takes), written for byte
 * arrays with byte-wise access only.
 *
 * <p>Why our own: aircompressor's encoder reads and writes 8 bytes at a time through
 * {@code Unsafe} at unaligned addresses. x86_64 and aarch64 do not mind; armv7 needs the
 * kernel's alignment fix-ups for that and qemu-arm dies with SIGBUS. Here writes are single
 * bytes and {@code System.arraycopy}, reads are single bytes or 4-/8-byte views whose alignment
 * the JDK handles per platform; the output is byte for byte aircompressor's (same algorithm).
 *
 * <p>The format (format_description.txt in google/snappy): the uncompressed length as a
 * little-endian base-128 varint, then elements. A literal is tag {@code 00} with length-1 in the
 * upper six bits (60..63 mean one to four length bytes follow), then the bytes. A copy is tag
 * {@code 01} (length 4..11, 11-bit offset) or {@code 10} (length 1..64, 16-bit offset). The input
 * is cut into 64 KiB fragments compressed independently, so offsets always fit 16 bits; matches
 * are found with a hash table of 4-byte sequences that skips faster through data that does not
 * compress, as the reference encoder does.
 *
 * <p>Not thread-safe (it keeps its hash table between calls): one instance per sending thread.
 */
public final class SnappyBlockEncoder {
    static final int FRAGMENT = 1 << 16;
    private static final int MAX_TABLE = 1 << 14;
    private static final int MIN_TABLE = 1 << 8;
    /** Below this many bytes left in a fragment no match is looked for (as in the reference encoder). */
    private static final int INPUT_MARGIN = 15;

    /**
     * 4- and 8-byte little-endian reads from a byte[]. The JDK implements these views per platform:
     * one load where the CPU takes any address, else split by the address's alignment. On armhf
     * (Debian's JDK 17 under qemu-arm) Unsafe.unalignedAccess() is false and 53 million C2-compiled
     * reads at every offset ran without a fault; aircompressor's raw Unsafe.getLong/putLong are not
     * split and fault there.
     */
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int[] table = new int[MAX_TABLE];

    /** The most bytes {@link #compress} can write for {@code length} input bytes (snappy's bound). */
    public static int maxCompressedLength(int length) {
        return 32 + length + length / 6;
    }

    /**
     * Compresses {@code in[inOffset, inOffset + length)} into {@code out} from {@code outOffset},
     * which must have room for {@link #maxCompressedLength}; returns the number of bytes written.
     */
    public int compress(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
        if (out.length - outOffset < maxCompressedLength(length)) {
            throw new IllegalArgumentException("output needs " + maxCompressedLength(length) + " bytes, has "
                    + (out.length - outOffset));
        }
        int op = writeVarint(out, outOffset, length);
        for (int start = 0; start < length; start += FRAGMENT) {
            op = compressFragment(in, inOffset + start, Math.min(FRAGMENT, length - start), out, op);
        }
        return op - outOffset;
    }

    private int compressFragment(byte[] in, int base, int length, byte[] out, int op) {
        int end = base + length;
        if (length < INPUT_MARGIN) {
            return literal(in, base, length, out, op);
        }
        int tableSize = MIN_TABLE;
        while (tableSize < MAX_TABLE && tableSize < length) {
            tableSize <<= 1;
        }
        int shift = 32 - Integer.numberOfTrailingZeros(tableSize);
        Arrays.fill(table, 0, tableSize, 0); // 0 = "base": a candidate is always checked against the bytes
        int ipLimit = end - INPUT_MARGIN;
        int nextEmit = base;
        int ip = base + 1;
        int nextBytes = load32(in, ip);
        while (true) {
            // Find a 4-byte match; after 32 misses look at every 2nd byte, after 64 every 3rd, ...
            int skip = 32;
            int nextIp = ip;
            int candidate;
            int bytes;
            do {
                ip = nextIp;
                bytes = nextBytes;
                int h = hash(bytes, shift);
                nextIp = ip + (skip++ >>> 5);
                if (nextIp > ipLimit) {
                    return nextEmit < end ? literal(in, nextEmit, end - nextEmit, out, op) : op;
                }
                nextBytes = load32(in, nextIp);
                candidate = base + table[h];
                table[h] = ip - base;
            } while (bytes != load32(in, candidate));

            op = literal(in, nextEmit, ip - nextEmit, out, op);
            // Emit copies while the position right after one starts another match.
            int current;
            do {
                int matched = 4 + matchLength(in, candidate + 4, ip + 4, end);
                op = copy(ip - candidate, matched, out, op);
                ip += matched;
                nextEmit = ip;
                if (ip >= ipLimit) {
                    return nextEmit < end ? literal(in, nextEmit, end - nextEmit, out, op) : op;
                }
                table[hash(load32(in, ip - 1), shift)] = ip - 1 - base;
                current = load32(in, ip);
                int h = hash(current, shift);
                candidate = base + table[h];
                table[h] = ip - base;
            } while (current == load32(in, candidate));
            ip++;
            nextBytes = load32(in, ip);
        }
    }

    /** How many bytes from {@code a} equal those from {@code b} (a < b), up to {@code end}; 8 at a time. */
    private static int matchLength(byte[] in, int a, int b, int end) {
        int start = b;
        while (b <= end - 8) {
            long diff = (long) LONG_LE.get(in, a) ^ (long) LONG_LE.get(in, b);
            if (diff != 0) {
                return b - start + (Long.numberOfTrailingZeros(diff) >>> 3);
            }
            a += 8;
            b += 8;
        }
        while (b < end && in[a] == in[b]) {
            a++;
            b++;
        }
        return b - start;
    }

    private static int load32(byte[] b, int i) {
        return (int) INT_LE.get(b, i);
    }

    private static int hash(int bytes, int shift) {
        return (bytes * 0x1e35a7bd) >>> shift;
    }

    private static int literal(byte[] in, int from, int length, byte[] out, int op) {
        if (length == 0) {
            return op;
        }
        int n = length - 1;
        if (n < 60) {
            out[op++] = (byte) (n << 2);
        } else if (n < 1 << 8) {
            out[op++] = (byte) (60 << 2);
            out[op++] = (byte) n;
        } else if (n < 1 << 16) {
            out[op++] = (byte) (61 << 2);
            out[op++] = (byte) n;
            out[op++] = (byte) (n >>> 8);
        } else if (n < 1 << 24) {
            out[op++] = (byte) (62 << 2);
            out[op++] = (byte) n;
            out[op++] = (byte) (n >>> 8);
            out[op++] = (byte) (n >>> 16);
        } else {
            out[op++] = (byte) (63 << 2);
            out[op++] = (byte) n;
            out[op++] = (byte) (n >>> 8);
            out[op++] = (byte) (n >>> 16);
            out[op++] = (byte) (n >>> 24);
        }
        if (length <= 16) { // short literals are the common case in logs: cheaper than the arraycopy call
            for (int i = 0; i < length; i++) {
                out[op + i] = in[from + i];
            }
        } else {
            System.arraycopy(in, from, out, op, length);
        }
        return op + length;
    }

    /** A copy of {@code length} (>= 4) bytes from {@code offset} (1..65535) back. */
    private static int copy(int offset, int length, byte[] out, int op) {
        // Pieces of 64; a remainder of 65..67 is split 60 + 5..7 so no piece is shorter than 4.
        while (length >= 68) {
            op = copy2(offset, 64, out, op);
            length -= 64;
        }
        if (length > 64) {
            op = copy2(offset, 60, out, op);
            length -= 60;
        }
        if (length < 12 && offset < 2048) {
            out[op++] = (byte) (1 | (length - 4) << 2 | (offset >>> 8) << 5);
            out[op++] = (byte) offset;
            return op;
        }
        return copy2(offset, length, out, op);
    }

    private static int copy2(int offset, int length, byte[] out, int op) {
        out[op++] = (byte) (2 | (length - 1) << 2);
        out[op++] = (byte) offset;
        out[op++] = (byte) (offset >>> 8);
        return op;
    }

    private static int writeVarint(byte[] out, int op, int value) {
        while ((value & ~0x7f) != 0) {
            out[op++] = (byte) (value & 0x7f | 0x80);
            value >>>= 7;
        }
        out[op++] = (byte) value;
        return op;
    }
}

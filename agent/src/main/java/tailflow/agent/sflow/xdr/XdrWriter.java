package tailflow.agent.sflow.xdr;

import java.nio.charset.StandardCharsets;

/**
 * Big-endian XDR writer over a caller-owned, reusable byte array: every item is padded to 4 bytes.
 * Lengths written before their body are reserved with {@link #reserve()} and filled by {@link #patchLength}.
 */
public final class XdrWriter {
    private final byte[] buf;
    private int pos;

    public XdrWriter(byte[] buf) {
        this.buf = buf;
    }

    public void reset() {
        pos = 0;
    }

    public int position() {
        return pos;
    }

    public byte[] array() {
        return buf;
    }

    public int capacity() {
        return buf.length;
    }

    public XdrWriter u32(long v) {
        ensure(4);
        buf[pos] = (byte) (v >>> 24);
        buf[pos + 1] = (byte) (v >>> 16);
        buf[pos + 2] = (byte) (v >>> 8);
        buf[pos + 3] = (byte) v;
        pos += 4;
        return this;
    }

    public XdrWriter u64(long v) {
        u32(v >>> 32);
        return u32(v);
    }

    public XdrWriter f32(float v) {
        return u32(Float.floatToIntBits(v));
    }

    /** Fixed-length opaque: the bytes then zero padding to 4, no length prefix. */
    public XdrWriter fixed(byte[] src, int off, int len) {
        ensure(padded(len));
        System.arraycopy(src, off, buf, pos, len);
        int end = pos + padded(len);
        for (int i = pos + len; i < end; i++) {
            buf[i] = 0;
        }
        pos = end;
        return this;
    }

    /** Variable-length opaque: u32 length, bytes, padding. */
    public XdrWriter opaque(byte[] src, int off, int len) {
        u32(len);
        return fixed(src, off, len);
    }

    /** XDR string: UTF-8 bytes, truncated to {@code maxBytes} as sFlow's string<N> bounds demand. */
    public XdrWriter string(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return opaque(b, 0, Math.min(b.length, maxBytes));
    }

    /** Reserves a u32 to be filled later with the byte count written after it; returns its offset. */
    public int reserve() {
        int at = pos;
        u32(0);
        return at;
    }

    /** Writes at {@code at} the number of bytes from just after it to the current position. */
    public void patchLength(int at) {
        int len = pos - at - 4;
        buf[at] = (byte) (len >>> 24);
        buf[at + 1] = (byte) (len >>> 16);
        buf[at + 2] = (byte) (len >>> 8);
        buf[at + 3] = (byte) len;
    }

    public static int padded(int len) {
        return (len + 3) & ~3;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            throw new IndexOutOfBoundsException("XDR buffer of " + buf.length + " bytes full at " + pos + " + " + n);
        }
    }
}

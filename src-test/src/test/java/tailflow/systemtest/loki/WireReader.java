package tailflow.systemtest.loki;

import java.nio.charset.StandardCharsets;

/**
 * A minimal protobuf wire-format reader, written independently of the agent's encoder so the
 * receiver does not share its bugs. Rejects malformed input (truncated varints, lengths past
 * the end, unknown wire types) with a message, as Loki's decoder would.
 */
final class WireReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    WireReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    boolean more() {
        return pos < end;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new IllegalArgumentException("truncated varint");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }

    /** Reads a tag; returns {field, wireType}. */
    int[] tag() {
        long t = varint();
        return new int[] {(int) (t >>> 3), (int) (t & 7)};
    }

    WireReader message() {
        int len = length();
        WireReader r = new WireReader(buf, pos, len);
        pos += len;
        return r;
    }

    String string() {
        int len = length();
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    private int length() {
        long len = varint();
        if (len < 0 || len > end - pos) {
            throw new IllegalArgumentException("length " + len + " past the end of the message");
        }
        return (int) len;
    }

    void skip(int wireType) {
        switch (wireType) {
            case 0 -> varint();
            case 1 -> advance(8);
            case 2 -> advance(length());
            case 5 -> advance(4);
            default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
        }
    }

    private void advance(int n) {
        if (n > end - pos) {
            throw new IllegalArgumentException("field past the end of the message");
        }
        pos += n;
    }
}

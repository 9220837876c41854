package tailflow.agent.loki;

import java.util.Arrays;

/** A growable byte buffer with the protobuf wire primitives the push encoder needs. */
final class ProtoWriter {
    byte[] buf;
    int pos;

    ProtoWriter(int initial) {
        buf = new byte[initial];
    }

    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /** Room for {@code more} bytes: an eighth more than asked (the encoder asks once for a whole request), not twice the buffer. */
    void ensure(long more) {
        long need = pos + more;
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need + need / 8, buf.length + buf.length / 2L)));
        }
    }

    void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    /** Field tag: number and wire type (0 varint, 2 length-delimited). */
    void tag(int field, int wireType) {
        buf[pos++] = (byte) (field << 3 | wireType);
    }

    void bytes(byte[] src, int off, int len) {
        System.arraycopy(src, off, buf, pos, len);
        pos += len;
    }

    void reset() {
        pos = 0;
    }
}

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

    void ensure(long more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.max(buf.length * 2L, pos + more));
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

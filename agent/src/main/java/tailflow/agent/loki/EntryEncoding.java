package tailflow.agent.loki;

import java.nio.charset.StandardCharsets;
import tailflow.agent.pipeline.Labels;

/**
 * One entry's protobuf bytes as they appear inside a {@code StreamAdapter}: field 2 (entries), the
 * {@code EntryAdapter} body's length, its {@code Timestamp} (field 1), the line's tag and length
 * (field 2), then the line, then any structured metadata (field 3, {@code LabelPairAdapter}
 * name = 1, value = 2; empty strings and zero values left out, as proto3 does).
 *
 * <p>Why the batch stores entries encoded: the sender then builds a push by copying runs of
 * entries (one copy for a batch of one file), instead of writing five fields per line on the
 * sending thread (PushEncoder.encode was a third of the sender's CPU, notes/logs-perf.md); the
 * reader already computed every one of these sizes to keep the batch's size exact.
 */
final class EntryEncoding {

    /** The most bytes {@link #writeHead} writes: tags and varints of the largest values. */
    static final int MAX_HEAD = 1 + 5 + 1 + 1 + 1 + 10 + 1 + 5 + 1 + 5;

    private EntryEncoding() {}

    /** Size of the EntryAdapter body: timestamp, line of {@code length} bytes, {@code metadataBytes} of pairs. */
    static int body(int timestampBody, int length, int metadataBytes) {
        return 1 + ProtoWriter.varintSize(timestampBody) + timestampBody + 1 + ProtoWriter.varintSize(length) + length
                + metadataBytes;
    }

    /**
     * Writes everything before the line's bytes at {@code a[at]}; returns where the line goes.
     * {@code secondsField} is the Timestamp's encoded seconds field (tag and varint, empty for 0),
     * the same for every line of a second: the caller encodes it once per second ({@link #secondsField}).
     */
    static int writeHead(byte[] a, int at, int body, byte[] secondsField, int nanos, int timestampBody, int length) {
        a[at++] = 2 << 3 | 2;
        at = varint(a, at, body);
        a[at++] = 1 << 3 | 2;
        at = varint(a, at, timestampBody);
        for (byte b : secondsField) {
            a[at++] = b;
        }
        if (nanos != 0) {
            a[at++] = 2 << 3;
            at = varint(a, at, nanos);
        }
        a[at++] = 2 << 3 | 2;
        return varint(a, at, length);
    }

    /** A Timestamp's seconds field (field 1, varint), nothing for 0 as proto3 leaves it out. */
    static byte[] secondsField(long seconds) {
        if (seconds == 0) {
            return new byte[0];
        }
        byte[] field = new byte[1 + ProtoWriter.varintSize(seconds)];
        field[0] = 1 << 3;
        varint(field, 1, seconds);
        return field;
    }

    /** Bytes of the metadata pairs (field 3 each). */
    static int metadataSize(Labels m) {
        int size = 0;
        for (int i = 0; i < m.size(); i++) {
            int pair = pairBody(m.name(i), m.value(i));
            size += 1 + ProtoWriter.varintSize(pair) + pair;
        }
        return size;
    }

    /** Writes the metadata pairs at {@code a[at]}; returns the end. */
    static int writeMetadata(byte[] a, int at, Labels m) {
        for (int i = 0; i < m.size(); i++) {
            byte[] n = m.name(i).getBytes(StandardCharsets.UTF_8);
            byte[] v = m.value(i).getBytes(StandardCharsets.UTF_8);
            a[at++] = 3 << 3 | 2;
            at = varint(a, at, pairBody(m.name(i), m.value(i)));
            at = bytesField(a, at, 1, n);
            at = bytesField(a, at, 2, v);
        }
        return at;
    }

    private static int bytesField(byte[] a, int at, int field, byte[] value) {
        if (value.length == 0) {
            return at;
        }
        a[at++] = (byte) (field << 3 | 2);
        at = varint(a, at, value.length);
        System.arraycopy(value, 0, a, at, value.length);
        return at + value.length;
    }

    static int pairBody(String name, String value) {
        int n = name.getBytes(StandardCharsets.UTF_8).length;
        int v = value.getBytes(StandardCharsets.UTF_8).length;
        return (n == 0 ? 0 : 1 + ProtoWriter.varintSize(n) + n) + (v == 0 ? 0 : 1 + ProtoWriter.varintSize(v) + v);
    }

    static int varint(byte[] a, int at, long v) {
        while ((v & ~0x7FL) != 0) {
            a[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        a[at++] = (byte) v;
        return at;
    }
}

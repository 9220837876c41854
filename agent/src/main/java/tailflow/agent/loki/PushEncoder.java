package tailflow.agent.loki;

import java.util.Arrays;

/**
 * Encodes (part of) a {@link Batch} as Loki's {@code logproto.PushRequest}, compressed with
 * snappy in BLOCK format (Loki rejects the framed format). The wire encoding is written by hand
 * from the schema in specs/loki-push.md:
 *
 * <pre>
 * PushRequest   { repeated StreamAdapter streams = 1; }
 * StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
 * EntryAdapter  { Timestamp timestamp = 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3; }
 * LabelPairAdapter { string name = 1; string value = 2; }
 * Timestamp     { int64 seconds = 1; int32 nanos = 2; }
 * </pre>
 *
 * Entries of a stream are grouped and put in timestamp order (a stable sort, only when they are
 * not already in order). The batch holds each entry already encoded ({@link EntryEncoding}): this
 * class writes the request's and streams' framing and copies the entries. Zero-valued fields are omitted as proto3 does. The encoder keeps its
 * buffers between calls: one instance per sending thread.
 */
public final class PushEncoder {

    private final ProtoWriter proto = new ProtoWriter(256 * 1024);
    private final SnappyCompression snappy;
    private int[] order = new int[1024];
    private int[] streamStart = new int[16];
    private int[] streamCount = new int[16];
    private long[] streamBytes = new long[16];

    /** libsnappy when present, unless {@code -Dtailflow.snappy=java} asks for the Java encoder. */
    public PushEncoder() {
        this(SnappyCompression.choose(System.getProperty("tailflow.snappy", "")));
    }

    public PushEncoder(SnappyCompression snappy) {
        this.snappy = snappy;
    }

    /** The encoded, uncompressed request of the last {@link #encode} call: bytes [0, length). */
    public byte[] raw() {
        return proto.buf;
    }

    public int rawLength() {
        return proto.pos;
    }

    /** Encodes entries [from, to) of the batch; returns the uncompressed length. */
    public int encode(Batch batch, int from, int to) {
        return encode(batch, from, to, false, null);
    }

    /**
     * Encodes entries [from, to) of the batch's streams of {@code tenant} (null: the client's
     * own) only: one push request per tenant, as Promtail sends one batch per tenant.
     */
    public int encode(Batch batch, int from, int to, String tenant) {
        return encode(batch, from, to, true, tenant);
    }

    private int encode(Batch batch, int from, int to, boolean oneTenant, String tenant) {
        int streams = batch.streamCount();
        if (streamStart.length < streams + 1) {
            streamStart = new int[streams + 1];
            streamCount = new int[streams + 1];
            streamBytes = new long[streams + 1];
        }
        Arrays.fill(streamCount, 0, streams, 0);
        Arrays.fill(streamBytes, 0, streams, 0);
        int n = 0;
        for (int e = from; e < to; e++) {
            int s = batch.streamOf(e);
            if (oneTenant && !java.util.Objects.equals(batch.streamTenant(s), tenant)) {
                continue;
            }
            streamCount[s]++;
            streamBytes[s] += batch.entryCost(e);
            n++;
        }
        // Bucket the entry indices by stream (counting sort keeps insertion order per stream).
        if (order.length < n) {
            order = new int[Math.max(n, order.length * 2)];
        }
        int acc = 0;
        for (int s = 0; s < streams; s++) {
            streamStart[s] = acc;
            acc += streamCount[s];
        }
        int[] fill = Arrays.copyOf(streamStart, streams);
        for (int e = from; e < to; e++) {
            int s = batch.streamOf(e);
            if (!oneTenant || java.util.Objects.equals(batch.streamTenant(s), tenant)) {
                order[fill[s]++] = e;
            }
        }
        proto.reset();
        long total = 0;
        for (int s = 0; s < streams; s++) {
            if (streamCount[s] > 0) {
                long body = batch.streamBodySize(s, streamBytes[s]);
                total += 1 + ProtoWriter.varintSize(body) + body;
            }
        }
        proto.ensure(total);
        byte[] arena = batch.arena();
        for (int s = 0; s < streams; s++) {
            if (streamCount[s] == 0) {
                continue;
            }
            sortByTimestamp(batch, streamStart[s], streamStart[s] + streamCount[s]);
            byte[] labels = batch.streamLabelBytes(s);
            long body = batch.streamBodySize(s, streamBytes[s]);
            proto.tag(1, 2);
            proto.varint(body);
            proto.tag(1, 2);
            proto.varint(labels.length);
            proto.bytes(labels, 0, labels.length);
            // The entries are stored encoded (EntryAdapter as field 2): copy them in runs that lie
            // back to back in the arena, one copy for a stream whose lines came in order.
            int runStart = 0;
            int runEnd = -1;
            for (int i = streamStart[s]; i < streamStart[s] + streamCount[s]; i++) {
                int e = order[i];
                int at = batch.entryStart(e);
                if (at != runEnd) {
                    if (runEnd >= 0) {
                        proto.bytes(arena, runStart, runEnd - runStart);
                    }
                    runStart = at;
                }
                runEnd = batch.entryEnd(e);
            }
            proto.bytes(arena, runStart, runEnd - runStart);
        }
        return proto.pos;
    }

    /** Insertion sort on nearly sorted runs; a no-op pass when already in order. */
    private void sortByTimestamp(Batch batch, int start, int end) {
        boolean sorted = true;
        for (int i = start + 1; i < end && sorted; i++) {
            sorted = batch.timestamp(order[i - 1]) <= batch.timestamp(order[i]);
        }
        if (sorted) {
            return;
        }
        Integer[] boxed = new Integer[end - start];
        for (int i = start; i < end; i++) {
            boxed[i - start] = order[i];
        }
        Arrays.sort(boxed, (a, b) -> Long.compare(batch.timestamp(a), batch.timestamp(b)));
        for (int i = start; i < end; i++) {
            order[i] = boxed[i - start];
        }
    }

    /** Snappy-block compresses the last encoded request; returns the compressed length. */
    public int compress() {
        return snappy.compress(proto.buf, proto.pos);
    }

    public byte[] compressed() {
        return snappy.output();
    }
}

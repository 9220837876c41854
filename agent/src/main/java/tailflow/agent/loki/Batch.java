package tailflow.agent.loki;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;

/**
 * One push request being assembled: entries of several streams, plus, for every source that
 * contributed, the last {@link Checkpoint} it reported done (what an acknowledgement lets that
 * source advance to). The batch never looks inside a checkpoint.
 *
 * <p>Built for the hot path: line bytes go into one growing byte arena, per-entry data into
 * parallel primitive arrays; a batch is reused after it was sent ({@link #clear()}), so steady
 * state allocates nothing per line. {@link #encodedSize()} is the exact size of the protobuf
 * {@code PushRequest} the batch encodes to, kept under Loki's 4 MiB gRPC limit by the caller.
 */
public final class Batch {

    /**
     * Promtail's reserved label that carries an entry's tenant (set by the {@code tenant} stage):
     * never sent as a label; it wins over the client's {@code tenant_id} (Promtail's
     * client.getTenantID). Streams are keyed with it, so one batch holds the streams of several
     * tenants and the sink sends one request per tenant (Promtail keeps one batch per tenant).
     */
    public static final String TENANT_LABEL = "__tenant_id__";

    private byte[] arena = new byte[64 * 1024];
    /**
     * What the arena grows to at once when it must grow: the client's request limit (plus room for
     * one reservation), so a full batch holds one array of about its size, not the doubling steps'
     * 2 MiB for a 1 MiB batch, whose garbage also filled the old generation and made the heap
     * expand (notes/logs-perf.md: 10.9 MB live after the first full collection, heap 15 -> 25 MB).
     */
    private final int arenaStep;
    private int arenaUsed;
    private int[] lineOffset = new int[1024];
    private int[] lineLength = new int[1024];
    private int[] streamOf = new int[1024];
    private long[] timestamp = new long[1024];
    /** Each entry's encoded bytes in the arena: [entryStart, entryEnd), head + line + metadata ({@link EntryEncoding}). */
    private int[] entryStart = new int[1024];
    private int[] entryEnd = new int[1024];
    /** Structured metadata per entry; null until an entry has some (most batches never do). */
    private Labels[] metadata;
    private int entries;

    private final List<Labels> streamLabels = new ArrayList<>();
    /** Per stream: the tenant from {@link #TENANT_LABEL}, null for the client's own. */
    private final List<String> streamTenant = new ArrayList<>();
    /** The distinct tenants of the streams in first-seen order (null: the client's own). */
    private final List<String> tenants = new ArrayList<>();
    private final List<byte[]> streamLabelBytes = new ArrayList<>();
    private final Map<Labels, Integer> streamIndex = new HashMap<>();
    private long[] streamEntryBytes = new long[16];
    /** Per stream: the StreamAdapter body size so far (labels field plus its entries). */
    private long[] streamBody = new long[16];
    private long encodedTotal;
    /** The second the last timestamp fell in, so the next ones in it cost no division (most lines of a poll share it). */
    private long cachedSecond = Long.MIN_VALUE;
    private long cachedSeconds;
    private byte[] cachedSecondsField = EntryEncoding.secondsField(0);
    /** The entry {@link #begin} started and {@link #commit} finishes. */
    private int pendingStart;
    private int pendingLine;
    private int pendingLength;
    private int pendingCost;
    private long pendingTimestamp;
    private Labels pendingMetadata = Labels.empty();

    private final Map<Object, Checkpoint> checkpoints = new LinkedHashMap<>();
    private long createdNanos;
    private boolean hasCreated;
    private int generation;

    /** A batch for requests of any size (tests, tools). */
    public Batch() {
        this(8 * 1024 * 1024);
    }

    /** A batch whose requests stay under {@code requestLimit} encoded bytes (the client's limit). */
    public Batch(long requestLimit) {
        this.arenaStep = (int) Math.min(Integer.MAX_VALUE / 2, requestLimit + 64 * 1024);
    }

    /** Index of the stream with these labels, added if new. */
    public int stream(Labels labels) {
        Integer index = streamIndex.get(labels);
        if (index != null) {
            return index;
        }
        int i = streamLabels.size();
        String tenant = labels.get(TENANT_LABEL);
        Labels sent = tenant == null ? labels : labels.without(TENANT_LABEL);
        streamLabels.add(sent);
        streamTenant.add(tenant);
        if (!tenants.contains(tenant)) {
            tenants.add(tenant);
        }
        streamLabelBytes.add(sent.lokiText().getBytes(StandardCharsets.UTF_8));
        streamIndex.put(labels, i);
        if (i == streamEntryBytes.length) {
            streamEntryBytes = Arrays.copyOf(streamEntryBytes, i * 2);
            streamBody = Arrays.copyOf(streamBody, i * 2);
        }
        streamEntryBytes[i] = 0;
        long body = streamBodySize(i, 0);
        streamBody[i] = body;
        encodedTotal += 1 + ProtoWriter.varintSize(body) + body;
        return i;
    }

    /**
     * Promtail's {@code max_streams} (batch.add): whether an entry with these labels may go in,
     * that is its stream is here already or its tenant has fewer than {@code maxStreams} streams.
     */
    public boolean admits(Labels labels, int maxStreams) {
        if (streamIndex.containsKey(labels)) {
            return true;
        }
        String tenant = labels.get(TENANT_LABEL);
        int n = 0;
        for (String t : streamTenant) {
            n += java.util.Objects.equals(t, tenant) ? 1 : 0;
        }
        return n < maxStreams;
    }

    /** Protobuf size of one EntryAdapter body for a line of {@code length} bytes at {@code timestampNanos}. */
    static int entryBodySize(long timestampNanos, int length) {
        int ts = timestampBodySize(timestampNanos);
        return 1 + ProtoWriter.varintSize(ts) + ts + 1 + ProtoWriter.varintSize(length) + length;
    }

    static int timestampBodySize(long timestampNanos) {
        long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(timestampNanos, 1_000_000_000L);
        return (seconds == 0 ? 0 : 1 + ProtoWriter.varintSize(seconds)) + (nanos == 0 ? 0 : 1 + ProtoWriter.varintSize(nanos));
    }

    /** Encoded size this entry adds to the batch (inside its stream), for "would it fit" checks. */
    public static int entryCost(long timestampNanos, int length) {
        int body = entryBodySize(timestampNanos, length);
        return 1 + ProtoWriter.varintSize(body) + body;
    }

    /**
     * Starts an entry of a line of exactly {@code length} bytes at {@code timestampNanos}: writes its
     * protobuf head into the arena and returns the arena offset to write the line's bytes at; the
     * caller writes them into {@link #arena()} and then calls {@link #commit}.
     */
    public int begin(long timestampNanos, int length, Labels structuredMetadata) {
        long inSecond = timestampNanos - cachedSecond;
        if (inSecond < 0 || inSecond >= 1_000_000_000L) { // a new second: divide once, not per line
            cachedSeconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
            cachedSecond = cachedSeconds * 1_000_000_000L;
            cachedSecondsField = EntryEncoding.secondsField(cachedSeconds);
            inSecond = timestampNanos - cachedSecond;
        }
        int nanos = (int) inSecond;
        int ts = cachedSecondsField.length + (nanos == 0 ? 0 : 1 + ProtoWriter.varintSize(nanos));
        int metadataBytes = structuredMetadata.isEmpty() ? 0 : EntryEncoding.metadataSize(structuredMetadata);
        int body = EntryEncoding.body(ts, length, metadataBytes);
        int cost = 1 + ProtoWriter.varintSize(body) + body;
        if (arenaUsed + cost > arena.length) {
            long need = (long) arenaUsed + cost;
            long grown = need <= arenaStep ? Math.min(arena.length * 4L, arenaStep) : need + need / 4;
            arena = Arrays.copyOf(arena, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, grown)));
        }
        pendingStart = arenaUsed;
        pendingLine = EntryEncoding.writeHead(arena, arenaUsed, body, cachedSecondsField, nanos, ts, length);
        pendingLength = length;
        pendingCost = cost;
        pendingTimestamp = timestampNanos;
        pendingMetadata = structuredMetadata;
        return pendingLine;
    }

    public byte[] arena() {
        return arena;
    }

    /** Adds the entry {@link #begin} started, whose line bytes the caller wrote, to {@code stream}. */
    public void commit(int stream, long nowNanos) {
        if (entries == timestamp.length) {
            int n = entries * 2;
            lineOffset = Arrays.copyOf(lineOffset, n);
            lineLength = Arrays.copyOf(lineLength, n);
            streamOf = Arrays.copyOf(streamOf, n);
            timestamp = Arrays.copyOf(timestamp, n);
            entryStart = Arrays.copyOf(entryStart, n);
            entryEnd = Arrays.copyOf(entryEnd, n);
            if (metadata != null) {
                metadata = Arrays.copyOf(metadata, n);
            }
        }
        Labels structuredMetadata = pendingMetadata;
        pendingMetadata = Labels.empty();
        if (!structuredMetadata.isEmpty() && metadata == null) {
            metadata = new Labels[timestamp.length];
        }
        if (metadata != null) {
            metadata[entries] = structuredMetadata.isEmpty() ? null : structuredMetadata;
        }
        int end = pendingLine + pendingLength;
        if (!structuredMetadata.isEmpty()) {
            end = EntryEncoding.writeMetadata(arena, end, structuredMetadata);
        }
        lineOffset[entries] = pendingLine;
        lineLength[entries] = pendingLength;
        streamOf[entries] = stream;
        timestamp[entries] = pendingTimestamp;
        entryStart[entries] = pendingStart;
        entryEnd[entries] = end;
        entries++;
        arenaUsed = end;
        int cost = pendingCost;
        long before = streamBody[stream];
        streamEntryBytes[stream] += cost;
        streamBody[stream] = before + cost;
        encodedTotal += cost + ProtoWriter.varintSize(before + cost) - ProtoWriter.varintSize(before);
        if (!hasCreated) {
            createdNanos = nowNanos;
            hasCreated = true;
        }
    }

    /** Copies the line into the arena (the entry path; sources without stages write bytes directly). */
    public void add(Labels labels, byte[] line, long timestampNanos, long nowNanos) {
        int s = stream(labels);
        int at = begin(timestampNanos, line.length, Labels.empty());
        System.arraycopy(line, 0, arena, at, line.length);
        commit(s, nowNanos);
    }

    /** Adds an entry: its labels, timestamp, line and structured metadata. */
    public void add(Entry entry, long nowNanos) {
        byte[] line = entry.line().getBytes(StandardCharsets.UTF_8);
        int s = stream(entry.labels());
        int at = begin(entry.timestampNanos(), line.length, entry.structuredMetadata());
        System.arraycopy(line, 0, arena, at, line.length);
        commit(s, nowNanos);
    }

    /** The entry's structured metadata (empty for most). */
    public Labels structuredMetadata(int entry) {
        Labels m = metadata == null ? null : metadata[entry];
        return m == null ? Labels.empty() : m;
    }

    /** Protobuf size of an entry's structured metadata pairs ({@link EntryEncoding#metadataSize}). */
    static int metadataSize(Labels m) {
        return EntryEncoding.metadataSize(m);
    }

    /** Encoded size of entry {@code e} inside its stream, metadata included. */
    int entryCost(int e) {
        return entryEnd[e] - entryStart[e];
    }

    /** Where entry {@code e}'s encoded bytes start in {@link #arena()} (see {@link EntryEncoding}). */
    int entryStart(int e) {
        return entryStart[e];
    }

    /** Where entry {@code e}'s encoded bytes end in {@link #arena()}. */
    int entryEnd(int e) {
        return entryEnd[e];
    }

    /**
     * Records that everything of {@code checkpoint}'s source up to it is in this batch (or
     * dropped before it): acknowledging the batch lets the source advance there. A later
     * checkpoint of the same source replaces an earlier one.
     */
    public void mark(Checkpoint checkpoint) {
        checkpoints.put(checkpoint.source(), checkpoint);
    }

    /** The checkpoints an acknowledgement of this batch hands back, one per source. */
    public Collection<Checkpoint> checkpoints() {
        return checkpoints.values();
    }

    /** Nothing to send and nothing to acknowledge. */
    public boolean isBlank() {
        return entries == 0 && checkpoints.isEmpty();
    }

    /** Exact protobuf size of the whole PushRequest (streams without entries included). */
    public long encodedSize() {
        return encodedTotal;
    }

    /** An upper bound of {@link #entryCost} for any timestamp. */
    public static int maxEntryCost(int length) {
        int body = 1 + 1 + 18 + 1 + ProtoWriter.varintSize(length) + length;
        return 1 + ProtoWriter.varintSize(body) + body;
    }

    long streamBodySize(int stream, long entryBytes) {
        int labels = streamLabelBytes.get(stream).length;
        return 1 + ProtoWriter.varintSize(labels) + labels + entryBytes;
    }

    public int entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries == 0;
    }

    /** Sum of line bytes (what Promtail's {@code batchsize} counts). */
    public long lineBytes() {
        return arenaUsed;
    }

    public long createdNanos() {
        return createdNanos;
    }

    public int streamCount() {
        return streamLabels.size();
    }

    /** The stream's labels as sent ({@link #TENANT_LABEL} taken out). */
    public Labels streamLabels(int stream) {
        return streamLabels.get(stream);
    }

    /** The stream's tenant, null for the client's own {@code tenant_id}. */
    public String streamTenant(int stream) {
        return streamTenant.get(stream);
    }

    /** The tenants this batch holds entries for, in first-seen order (null: the client's own). */
    public List<String> tenants() {
        return tenants;
    }

    byte[] streamLabelBytes(int stream) {
        return streamLabelBytes.get(stream);
    }

    public int streamOf(int entry) {
        return streamOf[entry];
    }

    public long timestamp(int entry) {
        return timestamp[entry];
    }

    public int lineOffset(int entry) {
        return lineOffset[entry];
    }

    public int lineLength(int entry) {
        return lineLength[entry];
    }

    public String line(int entry) {
        return new String(arena, lineOffset[entry], lineLength[entry], StandardCharsets.UTF_8);
    }

    /**
     * Changes at every {@link #clear()}: a caller that cached a {@link #stream} index must look it
     * up again when the batch it cached it for was cleared and reused.
     */
    public int generation() {
        return generation;
    }

    /** Empties the batch, keeping its arrays for reuse. */
    public void clear() {
        generation++;
        arenaUsed = 0;
        entries = 0;
        metadata = null;
        streamLabels.clear();
        streamTenant.clear();
        tenants.clear();
        streamLabelBytes.clear();
        streamIndex.clear();
        checkpoints.clear();
        encodedTotal = 0;
        hasCreated = false;
        if (arena.length > 8 * 1024 * 1024) {
            arena = new byte[64 * 1024];
        }
    }
}

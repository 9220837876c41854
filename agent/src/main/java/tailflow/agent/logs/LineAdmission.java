package tailflow.agent.logs;

import java.nio.charset.StandardCharsets;
import tailflow.agent.loki.Batch;
import tailflow.agent.loki.LokiClient;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;

/**
 * Turns a line a tailer read into what the client sends: cut at {@code max_line_size} (at a UTF-8
 * boundary), invalid UTF-8 repaired, timestamped by the {@link PositionLedger}, labelled with its
 * file's labels.
 *
 * <p>Two paths. A job without stages takes the fast path: the repaired bytes go straight into the
 * client's batch, with no {@link Entry} or String per line (the logs benchmark's hot path); the
 * file's checkpoint is reported once per poll. A job with stages gets an {@link Entry} per line
 * with its {@link Checkpoint.FileOffset}, run through the job's chain.
 */
final class LineAdmission implements FileTailer.LineSink {

    private final int maxLineSize;
    private final LokiClient client;
    private final PositionLedger ledger;
    private final FileMetrics metrics;
    private byte[] scratch = new byte[4096];
    private FileTail polling;
    private long pollMono;
    private long pollWall;

    LineAdmission(int maxLineSize, LokiClient client, PositionLedger ledger, FileMetrics metrics) {
        this.maxLineSize = maxLineSize;
        this.client = client;
        this.ledger = ledger;
        this.metrics = metrics;
    }

    /** Lines of the next poll come from {@code tail}; one clock reading per poll (a poll reads at most a batch). */
    void begin(FileTail tail, long monoNanos, long wallNanos) {
        polling = tail;
        pollMono = monoNanos;
        pollWall = wallNanos;
        tail.acceptedThisPoll = 0;
        tail.acceptedBytesThisPoll = 0;
    }

    /**
     * The poll ended at {@code readOffset}: on the fast path, the batch now covers the file up to there.
     * The read counters move once per poll (a LongAdder per line was 4 % of the reader's profile).
     */
    void end(long readOffset) {
        FileTail t = polling;
        polling = null;
        if (t.acceptedThisPoll > 0) {
            t.lines.add(t.acceptedThisPoll);
            t.bytes.add(t.acceptedBytesThisPoll);
        }
        if (t.acceptedThisPoll > 0 && t.chain.passThrough()) {
            client.done(new Checkpoint.FileOffset(t.entry.generation(), readOffset));
        }
    }

    @Override
    public boolean line(FileTailer tailer, byte[] buf, int off, int len, long start, long end, boolean truncated, boolean ascii) {
        FileTail t = polling;
        if (!t.chain.passThrough() && client.full()) {
            return false;
        }
        if (truncated) {
            int cut = Utf8.boundaryAtOrBefore(buf, off, len, maxLineSize);
            metrics.mutatedEntries.inc(1, "line_too_long");
            metrics.mutatedBytes.inc(end - start - cut, "line_too_long");
            len = cut;
        }
        boolean accepted = t.chain.passThrough() ? intoBatch(t, buf, off, len, start, ascii) : intoChain(t, buf, off, len, start, end);
        if (accepted) {
            t.acceptedThisPoll++;
            t.acceptedBytesThisPoll += end - start;
        }
        return accepted;
    }

    private boolean intoBatch(FileTail t, byte[] buf, int off, int len, long start, boolean ascii) {
        Batch b = client.batch();
        if (t.streamBatch != b || t.streamGeneration != b.generation()) {
            if (!client.admitsStream(t.labels)) {
                return true; // max_streams: dropped (counted); the poll's checkpoint moves past it
            }
            t.stream = b.stream(t.labels);
            t.streamBatch = b;
            t.streamGeneration = b.generation();
        }
        byte[] src = buf;
        int from = off;
        int length = len;
        if (!ascii) { // repaired into the scratch buffer first: the batch stores the entry's final length before its bytes
            length = repairIntoScratch(buf, off, len);
            src = scratch;
            from = 0;
        }
        if (!b.isEmpty() && b.encodedSize() + Batch.maxEntryCost(length) > client.limit()) {
            client.markFull();
            return false;
        }
        if (length != len) {
            metrics.mutatedEntries.inc(1, "invalid_utf8");
        }
        int at = b.begin(ledger.timestamp(t.entry, start, pollWall, pollMono), length, Labels.empty());
        System.arraycopy(src, from, b.arena(), at, length);
        b.commit(t.stream, pollMono);
        return true;
    }

    /** Copies buf[off, off + len) into {@link #scratch} with invalid UTF-8 replaced; returns the length written. */
    private int repairIntoScratch(byte[] buf, int off, int len) {
        if (scratch.length < Utf8.maxRepairedLength(len)) {
            scratch = new byte[Math.max(Utf8.maxRepairedLength(len), scratch.length * 2)];
        }
        return Utf8.copyRepaired(buf, off, len, scratch, 0);
    }

    private boolean intoChain(FileTail t, byte[] buf, int off, int len, long start, long end) {
        int written = repairIntoScratch(buf, off, len);
        if (written != len) {
            metrics.mutatedEntries.inc(1, "invalid_utf8");
        }
        long ts = ledger.timestamp(t.entry, start, pollWall, pollMono);
        t.chain.process(new Entry(t.labels, ts, new String(scratch, 0, written, StandardCharsets.UTF_8),
                new Checkpoint.FileOffset(t.entry.generation(), end)));
        return true;
    }
}

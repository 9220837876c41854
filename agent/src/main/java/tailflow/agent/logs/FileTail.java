package tailflow.agent.logs;

import java.util.concurrent.atomic.LongAdder;
import tailflow.agent.loki.Batch;
import tailflow.agent.pipeline.Chain;
import tailflow.agent.pipeline.Labels;

/** A file being read: its tailer, ledger entry, stream labels, job chain and per-file metric cells. */
final class FileTail {
    final FileTailer tailer;
    final PositionLedger.Entry entry;
    final Target target;
    final Labels labels;
    final Chain chain;
    final String metricPath;
    final LongAdder lines;
    final LongAdder bytes;
    /** The fast path's stream index in {@link #streamBatch}, so a line costs no label lookup. */
    int stream = -1;
    Batch streamBatch;
    int streamGeneration;
    int acceptedThisPoll;
    /** Bytes (newlines included) of the lines accepted in this poll, added to {@link #bytes} when it ends. */
    long acceptedBytesThisPoll;
    long nextRotationCheck;
    /** The file size at the last head comparison (-1: none yet), see FileRecovery.rewrittenSinceOpen. */
    long headCheckedAtSize = -1;

    FileTail(FileTailer tailer, PositionLedger.Entry entry, Target target, Chain chain, FileMetrics metrics) {
        this.tailer = tailer;
        this.entry = entry;
        this.target = target;
        this.chain = chain;
        this.labels = target.labels().with("filename", entry.label());
        this.metricPath = entry.label();
        this.lines = metrics.readLines.labels(metricPath);
        this.bytes = metrics.readBytes.labels(metricPath);
    }
}

package tailflow.agent.pipeline;

/**
 * One log entry on its way from a source to the clients.
 *
 * @param labels             the stream labels (internal {@code __} labels only before relabelling ends)
 * @param timestampNanos     the Loki timestamp, nanoseconds since the epoch
 * @param line               the log line, without its newline
 * @param structuredMetadata Loki structured metadata (non-indexed labels), empty for most entries
 * @param checkpoint         where the entry came from; an acknowledgement (or a drop) hands it back to the source
 */
public record Entry(Labels labels, long timestampNanos, String line, Labels structuredMetadata, Checkpoint checkpoint) {

    public Entry {
        if (labels == null || line == null || structuredMetadata == null || checkpoint == null) {
            throw new NullPointerException("entry fields must not be null");
        }
    }

    public Entry(Labels labels, long timestampNanos, String line, Checkpoint checkpoint) {
        this(labels, timestampNanos, line, Labels.empty(), checkpoint);
    }

    public Entry withLabels(Labels l) {
        return l == labels ? this : new Entry(l, timestampNanos, line, structuredMetadata, checkpoint);
    }

    public Entry withLine(String l) {
        return new Entry(labels, timestampNanos, l, structuredMetadata, checkpoint);
    }

    public Entry withTimestamp(long nanos) {
        return new Entry(labels, nanos, line, structuredMetadata, checkpoint);
    }

    public Entry withStructuredMetadata(Labels m) {
        return new Entry(labels, timestampNanos, line, m, checkpoint);
    }

    public Entry withCheckpoint(Checkpoint c) {
        return new Entry(labels, timestampNanos, line, structuredMetadata, c);
    }
}

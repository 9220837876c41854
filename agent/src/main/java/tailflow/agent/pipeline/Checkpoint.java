package tailflow.agent.pipeline;

/**
 * Where an entry came from, in the terms of its source: what an acknowledgement lets that source's
 * position advance to. Stages and clients pass checkpoints along without looking inside; only the
 * source that made one reads it back.
 */
public sealed interface Checkpoint permits Checkpoint.FileOffset, Checkpoint.JournalCursor {

    /**
     * What this checkpoint is a position in (one file generation, one journal job): a later
     * checkpoint of the same source supersedes an earlier one, so a batch keeps only the last per
     * source. Compared with {@code equals}; nobody but the source looks inside.
     */
    Object source();

    /**
     * The end of a line in a file. {@code file} is the file source's own handle for one file at one
     * generation (compared by identity); {@code endOffset} is the byte offset just after the line.
     */
    record FileOffset(Object file, long endOffset) implements Checkpoint {
        @Override
        public Object source() {
            return file;
        }
    }

    /**
     * A journal entry: its cursor and realtime timestamp (µs since the epoch), kept per journal job
     * ({@code positionKey} is Promtail's {@code cursor-<job_name>}, positions.CursorKey).
     */
    record JournalCursor(String positionKey, String cursor, long realtimeMicros) implements Checkpoint {
        @Override
        public Object source() {
            return positionKey;
        }
    }
}

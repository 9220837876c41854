package tailflow.agent.pipeline;

/**
 * Something a client's reader thread reads entries from: files now, the journal next. A source
 * owns its identity, its checkpoints and its positions; it hands entries to its jobs'
 * {@link Chain}s (built for it by the {@link ChainFactory}) and gets its checkpoints back once
 * the client had them acknowledged. Every method runs on the client's reader thread.
 */
public interface Source {

    /** For log messages: {@code files}, {@code journal job varlogs}. */
    String name();

    /** Restores positions and finds what to read; called once before the first {@link #read}. */
    void open();

    /** Periodic work between reads, such as file discovery every {@code sync_period}. */
    default void maintain(long monoNanos) {}

    /** Reads while the client has room; true if anything was read. */
    boolean read(long monoNanos);

    /**
     * Called before a batch is handed to the sender: whatever makes a resend after a crash safe
     * (the file source's timestamp leases) must be durable first; false means "not yet".
     */
    default boolean readyToSend() {
        return true;
    }

    /** A checkpoint came back from the client (acknowledged or dropped); not this source's: ignore it. */
    void acknowledged(Checkpoint checkpoint);

    /** Writes positions if they changed ({@code force}: always, when stopping). */
    void savePositions(boolean force);

    /**
     * Called only while the client's reader is quiet (nothing read, batched, in flight or held):
     * sleeps until this source may have something new or {@code timeoutNanos} passed, and returns
     * true; false when it cannot tell (the default; the reader then polls as before). A source that
     * arms a watch here returns false the first time, so that the reader reads once more before it
     * sleeps (what was written just before the arming has no event).
     */
    default boolean awaitChange(long timeoutNanos) throws InterruptedException {
        return false;
    }

    /** The reader read something again: stop watching for changes. */
    default void stopAwaiting() {}

    /** Stops reading for good (the agent stops); positions were saved before. */
    void close();
}

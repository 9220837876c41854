package tailflow.agent.pipeline;

/**
 * Where a chain's results go: a client's batches. Implemented by the Loki client; a chain
 * knows nothing else of it.
 */
public interface ChainOutput {

    /** An entry to send. */
    void entry(Entry entry);

    /**
     * Every entry of this checkpoint's source up to {@code checkpoint} was handed to
     * {@link #entry} or dropped: once what was handed over so far is acknowledged, the source
     * may advance to it.
     */
    void done(Checkpoint checkpoint);
}

package tailflow.agent.loki;

/** Where a client's batches go: Loki, or stdout with {@code --stdout}. */
public interface BatchSink {

    /**
     * Delivers the batch: returns true once every line was acknowledged or rejected for good
     * (Loki's 400), false if it gave up because the pipeline is stopping and the deadline passed.
     */
    boolean deliver(Batch batch) throws InterruptedException;

    /** Whether the last delivery attempt succeeded (or there was none yet): feeds /ready. */
    boolean healthy();
}

package tailflow.agent.loki;

/** Where a client's batches go: Loki, or stdout with {@code --stdout}. */
public interface BatchSink {

    /**
     * Delivers the batch: returns once every line was acknowledged or rejected for good (Loki's
     * 400); anything else is retried for as long as it takes, so there is no "gave up" result. A
     * stop interrupts the retries ({@link InterruptedException}); the batch is then sent again
     * after the restart with the same timestamps.
     */
    void deliver(Batch batch) throws InterruptedException;

    /** Whether the last delivery attempt succeeded (or there was none yet): feeds /ready. */
    boolean healthy();
}

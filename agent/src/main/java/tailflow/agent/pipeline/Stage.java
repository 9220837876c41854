package tailflow.agent.pipeline;

/**
 * One step between a source and the clients: entry in, zero or more entries out. A stage knows
 * nothing of files, the journal or Loki. One chain of stages runs per job and client, on that
 * chain's reader thread, so a stage needs no locking of its own.
 *
 * <p>Position rule: a source's position advances only over entries that were acknowledged by Loki
 * or {@linkplain Emitter#drop dropped}. A stage that holds entries back (multiline) emits their
 * merged entry with the checkpoint of the last line it holds, and reports in {@link #holding()}
 * that something is held, so the chain does not let positions run past it.
 */
public interface Stage {

    void process(Entry entry, Emitter out);

    /**
     * Called by the chain about every 100 ms with the monotonic clock; a stage that holds entries
     * releases those whose wait ran out (multiline's {@code max_wait_time}).
     */
    default void tick(long monoNanos, Emitter out) {}

    /** Releases everything held (the agent is stopping or reloading). */
    default void flush(Emitter out) {}

    /** Whether entries are held back right now. */
    default boolean holding() {
        return false;
    }
}

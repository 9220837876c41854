package tailflow.agent.pipeline;

/** Where a stage puts what it made of an entry. */
public interface Emitter {

    /** Passes an entry on to the next stage (or the client). */
    void emit(Entry entry);

    /**
     * Says the entry is dropped on purpose ({@code reason} as Promtail's
     * {@code tailflow_dropped_entries_total{reason}} counts it). Its checkpoint still counts as
     * done, so the source's position moves past it.
     */
    void drop(Entry entry, String reason);
}

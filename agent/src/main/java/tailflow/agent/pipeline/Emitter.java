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

    /**
     * The reason of a drop that Promtail counts in no metric (the json stage's
     * {@code drop_malformed} just leaves the entry out): the position moves past it as for any
     * drop, but no counter does.
     */
    String UNCOUNTED = "";
}

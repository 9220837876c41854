package tailflow.agent.stages;

/**
 * One of Promtail's stages, working on an {@link Item} (entry plus extracted map). A job's list of
 * steps runs as one {@link tailflow.agent.pipeline.Stage} ({@link StagesStage}).
 */
public interface Step {

    void process(Item item, Downstream out);

    /** Releases what waited long enough (multiline's max_wait_time); {@code monoNanos} from the chain's clock. */
    default void tick(long monoNanos, Downstream out) {}

    /** Releases everything held. */
    default void flush(Downstream out) {}

    default boolean holding() {
        return false;
    }

    /** Where a step sends what it made of an item. */
    interface Downstream {
        void emit(Item item);

        /** The item is dropped on purpose, counted under {@code reason} as Promtail counts it. */
        void drop(Item item, String reason);
    }
}

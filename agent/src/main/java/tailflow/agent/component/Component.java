package tailflow.agent.component;

import java.time.Duration;

/**
 * One pipeline or service of the agent (logs, sflow, ops HTTP), started and stopped by the
 * runtime in list order (stopped in reverse). A component is built by a {@link ComponentFactory}
 * from the config and a {@link ComponentContext}, never from the runtime that owns it.
 */
public interface Component {

    /** A short name for logs and /ready, e.g. {@code "logs"}. */
    String name();

    /** Starts background work and returns; throws if the component cannot run at all. */
    void start() throws Exception;

    /**
     * Stops within {@code timeout}: stop taking new work, flush what is in flight, persist state.
     * Must be safe to call when {@link #start()} failed or was never called.
     */
    void stop(Duration timeout) throws Exception;

    /** Whether the component does its job right now (used by {@code /ready}). */
    default boolean ready() {
        return true;
    }
}

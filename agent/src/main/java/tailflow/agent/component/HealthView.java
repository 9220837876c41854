package tailflow.agent.component;

import java.util.List;

/**
 * What the ops side reads about the agent's health: {@code /ready}, the status line and the
 * watchdog depend on this view, never on the runtime.
 */
public interface HealthView {

    /** Every running component is ready, at least one runs, and no problem is reported. */
    boolean ready();

    /** Why not ready: the names of components that are not, then each reported problem as {@code source: reason}. */
    List<String> notReady();

    /**
     * Threads that should be making progress and have not, each as {@code name: no progress for Ns};
     * empty while every thread progresses, waits for work or backs off on purpose.
     */
    List<String> stalled();
}

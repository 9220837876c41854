package tailflow.agent.component;

import java.time.Clock;
import tailflow.agent.ops.metrics.Metrics;

/**
 * What a component gets from the agent: how it runs ({@link RuntimeOptions}), where it counts
 * ({@link Metrics}) and where it reports its health ({@link Health}: problems for {@code /ready},
 * heartbeats for the watchdog). Components never see the runtime that owns them, so the runtime
 * can depend on every component package and none of them on it.
 */
public record ComponentContext(RuntimeOptions options, Metrics metrics, Health health) {

    /** The wall clock for timestamps and batching (tests pass a fixed or stepping one). */
    public Clock clock() {
        return options.clock();
    }
}

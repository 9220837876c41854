package tailflow.agent.pipeline;

import java.util.List;

/**
 * What sits between a job's source and the clients, per job: its relabel rules and its stages.
 * The construction point for Promtail's {@code relabel_configs} and {@code pipeline_stages}:
 * {@code tailflow.agent.logs.LogsPipeline} asks this factory once per job and client, so every
 * client gets its own stage instances (stages keep state, and each client's chain runs on that
 * client's reader thread).
 */
public interface ChainFactory {

    /** Fresh stage instances for {@code jobName}'s chain; an empty list is the fast path (no Entry objects). */
    List<Stage> stages(String jobName);

    /** The job's relabel rules, applied once per target. */
    Relabeling relabeling(String jobName);

    /** No stages and no relabelling for any job. */
    static ChainFactory identity() {
        return new ChainFactory() {
            @Override
            public List<Stage> stages(String jobName) {
                return List.of();
            }

            @Override
            public Relabeling relabeling(String jobName) {
                return Relabeling.identity();
            }
        };
    }
}

package tailflow.agent.logs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ScrapeConfig;
import tailflow.agent.pipeline.ChainFactory;
import tailflow.agent.pipeline.Relabeling;
import tailflow.agent.pipeline.Stage;
import tailflow.agent.relabel.Relabeler;

/**
 * A chain factory whose {@link #relabeling} is each job's {@code relabel_configs} (Prometheus
 * semantics, {@link Relabeler}), around another factory's stages. File targets are relabelled
 * once per static config, as Promtail does: the discovered labels are the job's labels, hostname
 * and {@code __path__}; {@code filename} is added per file afterwards, so rules cannot see it
 * (nor can Promtail's). Journal jobs relabel per entry in their own source.
 */
final class JobRelabeling implements ChainFactory {
    private final ChainFactory stages;
    private final Map<String, Relabeler> byJob = new HashMap<>();

    private JobRelabeling(ChainFactory stages, List<ScrapeConfig> jobs) {
        this.stages = stages;
        for (ScrapeConfig job : jobs) {
            if (!job.relabelConfigs().isEmpty()) {
                byJob.put(job.jobName(), new Relabeler(job.relabelConfigs()));
            }
        }
    }

    static ChainFactory around(ChainFactory stages, AgentConfig config) {
        return new JobRelabeling(stages, config.scrapeConfigs());
    }

    @Override
    public List<Stage> stages(String jobName) {
        return stages.stages(jobName);
    }

    @Override
    public Relabeling relabeling(String jobName) {
        Relabeler r = byJob.get(jobName);
        return r == null ? stages.relabeling(jobName) : r::apply;
    }
}

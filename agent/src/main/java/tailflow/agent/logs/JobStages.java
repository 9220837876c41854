package tailflow.agent.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.LimitsConfig;
import tailflow.agent.config.ScrapeConfig;
import tailflow.agent.ops.metrics.Metrics;
import tailflow.agent.pipeline.Stage;
import tailflow.agent.stages.LineSizeLimit;
import tailflow.agent.stages.ReadlineLimit;
import tailflow.agent.stages.StageContext;
import tailflow.agent.stages.StageSpec;
import tailflow.agent.stages.StagesStage;

/**
 * A job's chain stages from its {@code pipeline_stages}, plus Promtail's global readline limit and
 * its client's {@code max_line_size} (then every job has a chain, as the check follows the stages):
 * fresh instances per call (one chain per job and client). Only the first chain of a job records
 * the metrics stage's custom metrics, so a job pushed to two clients counts each line once.
 */
final class JobStages {
    private final Map<String, List<StageSpec>> specs = new HashMap<>();
    private final Map<String, Integer> chainsMade = new HashMap<>();
    private final Metrics metrics;
    private final Optional<ReadlineLimit> readline;
    private final LimitsConfig limits;

    JobStages(AgentConfig config, Metrics metrics) {
        for (ScrapeConfig job : config.scrapeConfigs()) {
            specs.put(job.jobName(), job.pipelineStages());
        }
        this.metrics = metrics;
        LimitsConfig l = config.limits();
        this.limits = l;
        this.readline = l.readlineRateEnabled()
                ? Optional.of(new ReadlineLimit(l.readlineRate(), l.readlineBurst(), l.readlineRateDrop(), System::nanoTime,
                        nanos -> java.util.concurrent.locks.LockSupport.parkNanos(nanos)))
                : Optional.empty();
    }

    synchronized List<Stage> stages(String job) {
        List<Stage> out = new ArrayList<>();
        List<StageSpec> jobSpecs = specs.getOrDefault(job, List.of());
        boolean first = chainsMade.merge(job, 1, Integer::sum) == 1;
        if (!jobSpecs.isEmpty()) {
            out.add(new StagesStage(jobSpecs, StageContext.system(metrics, first, job)));
            // the tenant stage's __tenant_id__ label stays on the entry: the client sends it as X-Scope-OrgID
        }
        readline.ifPresent(r -> out.add(r.stage()));
        if (limits.clientMaxLineSize() > 0) {
            // Promtail's client checks max_line_size on the line as sent, after the stages (client.go run)
            Metrics.Counter entries = metrics.counter("tailflow_mutated_entries_total", "Lines changed before sending.", "reason");
            Metrics.Counter bytes = metrics.counter("tailflow_mutated_bytes_total", "Bytes removed from lines before sending.",
                    "reason");
            out.add(new LineSizeLimit((int) limits.clientMaxLineSize(), limits.maxLineSizeTruncate(), removed -> {
                if (first) { // the counters have no client label: count a line once, not once per client
                    entries.inc(1, LineSizeLimit.REASON);
                    bytes.inc(removed, LineSizeLimit.REASON);
                }
            }));
        }
        return out;
    }
}

package tailflow.agent.journal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ScrapeConfig;
import tailflow.agent.ops.metrics.Metrics;
import tailflow.agent.pipeline.Chain;
import tailflow.agent.positions.PositionsFile;
import tailflow.agent.relabel.Relabeler;

/** Builds one client's {@link JournalSource} from the config's {@code journal:} jobs. */
public final class JournalSources {
    private JournalSources() {}

    private static long micros(Clock clock) {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /**
     * @param chains   the client's chain per job name
     * @param full     whether the client takes no more entries now
     * @param counting whether this client's reader counts the metrics (the first client only)
     * @return empty when the config has no journal job
     */
    public static Optional<JournalSource> forClient(AgentConfig config, String clientKey, PositionsFile positions,
            Map<String, Chain> chains, BooleanSupplier full, Clock clock, Metrics metrics, boolean counting) {
        JournalMetrics journalMetrics = new JournalMetrics(metrics, counting);
        List<JournalSource.Job> jobs = new ArrayList<>();
        for (ScrapeConfig job : config.scrapeConfigs()) {
            if (job.journal().isEmpty()) {
                continue;
            }
            JournalTail tail = new JournalTail(job.jobName(), job.journal().get(), new Relabeler(job.relabelConfigs()),
                    () -> micros(clock), journalMetrics);
            jobs.add(new JournalSource.Job(tail, chains.get(job.jobName())));
        }
        return jobs.isEmpty() ? Optional.empty() : Optional.of(new JournalSource(clientKey, positions, full, jobs));
    }
}

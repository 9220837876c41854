package tailflow.agent.journal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import tailflow.agent.pipeline.Chain;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Source;
import tailflow.agent.positions.JournalPosition;
import tailflow.agent.positions.PositionsFile;

/**
 * The journal jobs of one client as a pipeline source: each job's {@link JournalTail} feeds that
 * job's chain in journal order, stops while the client is full (the journal is the buffer while
 * Loki is down), and the cursors Loki acknowledged are saved in the client's section of the
 * positions file under Promtail's keys ({@code cursor-<job_name>}). On first start a cursor
 * Promtail saved in its own positions file is used.
 */
public final class JournalSource implements Source {
    private static final Logger LOG = Logger.getLogger(JournalSource.class.getName());
    /** Entries per job per read call: small enough that one busy job does not starve the others. */
    static final int READ_BUDGET = 1024;

    /** One journal job of this client: its reader and its chain. */
    public record Job(JournalTail tail, Chain chain) {}

    private final String clientKey;
    private final PositionsFile positions;
    private final BooleanSupplier full;
    private final List<Job> jobs;
    /** Cursors of journal jobs no longer in the config: kept, as Promtail never deletes cursor keys. */
    private final Map<String, JournalPosition> others = new LinkedHashMap<>();

    public JournalSource(String clientKey, PositionsFile positions, BooleanSupplier full, List<Job> jobs) {
        this.clientKey = clientKey;
        this.positions = positions;
        this.full = full;
        this.jobs = List.copyOf(jobs);
    }

    @Override
    public String name() {
        return "journal jobs " + jobs.stream().map(j -> j.tail().positionKey()).toList();
    }

    @Override
    public void open() {
        Map<String, JournalPosition> saved = Map.of();
        Map<String, String> promtail = Map.of();
        try {
            saved = positions.journal(clientKey);
            if (saved.isEmpty()) {
                promtail = positions.promtail();
            }
        } catch (IOException e) {
            LOG.warning("cannot read positions file " + positions.path() + ": " + e.getMessage()
                    + "; journal jobs start max_age before now");
        }
        for (Job job : jobs) {
            job.tail().restore(savedCursor(job.tail(), saved, promtail));
        }
        others.putAll(saved);
        for (Job job : jobs) {
            others.remove(job.tail().positionKey());
        }
    }

    private Optional<Checkpoint.JournalCursor> savedCursor(JournalTail tail, Map<String, JournalPosition> saved,
            Map<String, String> promtail) {
        String key = tail.positionKey();
        String legacy = "journal-" + key.substring("cursor-".length());
        JournalPosition p = saved.containsKey(key) ? saved.get(key) : saved.get(legacy);
        if (p != null) {
            return Optional.of(new Checkpoint.JournalCursor(key, p.cursor(), p.realtimeMicros()));
        }
        String cursor = promtail.containsKey(key) ? promtail.get(key) : promtail.get(legacy);
        if (cursor != null && !cursor.isBlank()) {
            LOG.info("journal: resuming " + key + " from Promtail's positions file " + positions.path());
            return Optional.of(new Checkpoint.JournalCursor(key, cursor, JournalStart.cursorRealtime(cursor).orElse(0L)));
        }
        return Optional.empty();
    }

    @Override
    public boolean read(long monoNanos) {
        boolean any = false;
        for (Job job : jobs) {
            any |= job.tail().read(monoNanos, READ_BUDGET, full, job.chain()::process) > 0;
        }
        return any;
    }

    @Override
    public void acknowledged(Checkpoint checkpoint) {
        if (checkpoint instanceof Checkpoint.JournalCursor) {
            for (Job job : jobs) {
                job.tail().acknowledged(checkpoint);
            }
        }
    }

    @Override
    public void savePositions(boolean force) {
        boolean changed = false;
        for (Job job : jobs) {
            changed |= job.tail().changedPosition().isPresent();
        }
        if (!changed && !force) {
            return;
        }
        Map<String, JournalPosition> cursors = new LinkedHashMap<>(others);
        for (Job job : jobs) {
            job.tail().position().ifPresent(c -> cursors.put(c.positionKey(), new JournalPosition(c.cursor(), c.realtimeMicros())));
        }
        if (cursors.isEmpty()) {
            return;
        }
        try {
            positions.writeJournal(clientKey, cursors);
        } catch (IOException e) {
            LOG.warning("cannot write journal positions to " + positions.path() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        jobs.forEach(j -> j.tail().close());
    }
}

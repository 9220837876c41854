package tailflow.agent.journal;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import tailflow.agent.config.JournalConfig;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.relabel.Relabeler;

/**
 * Reads one journal job for one client: opens the journal (its path or the system journal, with
 * its matches), starts where {@link JournalStart} says, turns entries into pipeline entries and
 * keeps the job's {@link JournalProgress}. Never blocks: at the end of the journal it lets
 * libsystemd notice new and rotated files and returns. When the journal cannot be read
 * (libsystemd missing, a read error) it says why once, shows it in the metrics and retries
 * every {@link #RETRY_NANOS} from the last entry it read. One reader thread.
 */
public final class JournalTail implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JournalTail.class.getName());
    static final long RETRY_NANOS = 10_000_000_000L;

    private final String jobName;
    private final String positionKey;
    private final JournalConfig config;
    private final JournalEntryFactory factory;
    private final LongSupplier nowMicros;
    private final JournalMetrics metrics;
    private final java.util.function.Supplier<Optional<String>> libsystemd;
    private JournalProgress progress;
    private SdJournal journal;
    /** The last entry read (handed on or skipped): where a reopen continues. */
    private Optional<String> lastRead = Optional.empty();
    private long retryAtNanos;
    private boolean waitingToRetry;
    private String lastProblem;
    private Optional<JournalStart> start = Optional.empty();

    public JournalTail(String jobName, JournalConfig config, Relabeler relabel, LongSupplier nowMicros,
            JournalMetrics metrics) {
        this(jobName, config, relabel, nowMicros, metrics, Libsystemd::probe);
    }

    /** @param libsystemd empty when libsystemd can be used, else why not ({@link Libsystemd#probe}) */
    JournalTail(String jobName, JournalConfig config, Relabeler relabel, LongSupplier nowMicros,
            JournalMetrics metrics, java.util.function.Supplier<Optional<String>> libsystemd) {
        this.libsystemd = libsystemd;
        this.jobName = jobName;
        this.positionKey = JournalJob.positionKey(jobName);
        this.config = config;
        this.factory = new JournalEntryFactory(positionKey, config.json(), config.labels(), relabel::apply,
                relabel.labelsRead());
        this.nowMicros = nowMicros;
        this.metrics = metrics;
    }

    public String positionKey() {
        return positionKey;
    }

    /** Where reading started (empty until the journal could be opened). */
    public Optional<JournalStart> start() {
        return start;
    }

    /** Restores the saved position; the journal is opened by the first {@link #read}. */
    public void restore(Optional<Checkpoint.JournalCursor> saved) {
        progress = new JournalProgress(saved);
        lastRead = saved.map(Checkpoint.JournalCursor::cursor);
    }

    /**
     * Hands up to {@code max} entries to {@code out} while {@code full} is false.
     *
     * @return how many journal entries were read (sent or skipped)
     */
    public int read(long monoNanos, int max, BooleanSupplier full, Consumer<Entry> out) {
        if (progress == null) {
            restore(Optional.empty());
        }
        if (journal == null && !reopen(monoNanos)) {
            return 0;
        }
        int n = 0;
        try {
            while (n < max && !full.getAsBoolean()) {
                if (!journal.next()) {
                    // at the end: let libsystemd pick up appended, rotated and removed files
                    journal.await(0);
                    break;
                }
                JournalEntryFactory.Result r = factory.read(journal);
                lastRead = Optional.of(r.checkpoint().cursor());
                n++;
                if (r instanceof JournalEntryFactory.Made made) {
                    progress.handed(r.checkpoint());
                    metrics.line(jobName);
                    out.accept(made.entry());
                } else {
                    metrics.skipped(((JournalEntryFactory.Skipped) r).reason());
                    progress.skipped(r.checkpoint());
                }
            }
        } catch (JournalException e) {
            fail(monoNanos, "reading the journal failed: " + e.getMessage());
        }
        return n;
    }

    private boolean reopen(long monoNanos) {
        if (waitingToRetry && monoNanos - retryAtNanos < 0) {
            return false;
        }
        waitingToRetry = false;
        Optional<String> missing = libsystemd.get();
        if (missing.isPresent()) {
            fail(monoNanos, "unavailable: " + missing.get() + "; file jobs keep running");
            return false;
        }
        try {
            journal = JournalJob.open(config);
            JournalStart s = JournalStart.seek(journal, lastRead, nowMicros.getAsLong(), config.maxAge().toNanos() / 1_000);
            start = Optional.of(s);
            String where = config.path().map(p -> "journal in " + p).orElse("system journal");
            if (s.kind() == JournalStart.Kind.CURSOR_GONE) {
                LOG.warning("journal job " + jobName + ": " + s.describe());
            } else {
                LOG.info("journal job " + jobName + ": reading the " + where + ", " + s.describe());
            }
            lastProblem = null;
            metrics.available(jobName, true);
            return true;
        } catch (JournalException e) {
            fail(monoNanos, "cannot open the journal: " + e.getMessage() + unreadableHint());
            return false;
        }
    }

    private String unreadableHint() {
        var unreadable = JournalAccess.ofThisProcess().unreadable(
                config.path().map(java.util.List::of).orElse(JournalAccess.SYSTEM_DIRS));
        return unreadable.isEmpty() ? "" : "; " + unreadable.get(0) + (unreadable.size() > 1
                ? " (and " + (unreadable.size() - 1) + " more)" : "");
    }

    /** Logs a problem once (until it changes), closes the journal and retries later. */
    private void fail(long monoNanos, String problem) {
        if (!problem.equals(lastProblem)) {
            LOG.warning("journal job " + jobName + ": " + problem);
            lastProblem = problem;
        }
        metrics.available(jobName, false);
        closeJournal();
        retryAtNanos = monoNanos + RETRY_NANOS;
        waitingToRetry = true;
    }

    /** Loki acknowledged (or a stage dropped) everything up to {@code c}; other sources' checkpoints are ignored. */
    public void acknowledged(Checkpoint c) {
        if (c instanceof Checkpoint.JournalCursor j && j.positionKey().equals(positionKey) && progress != null) {
            progress.acknowledged(j);
        }
    }

    /** The position to save, when it moved since the last call. */
    public Optional<Checkpoint.JournalCursor> changedPosition() {
        return progress != null && progress.takeChanged() ? progress.position() : Optional.empty();
    }

    public Optional<Checkpoint.JournalCursor> position() {
        return progress == null ? Optional.empty() : progress.position();
    }

    private void closeJournal() {
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }

    @Override
    public void close() {
        closeJournal();
    }
}

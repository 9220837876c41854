package tailflow.agent.journal;

import tailflow.agent.ops.metrics.Metrics;

/** Promtail's journal target metrics (tailflow_ prefix), plus whether each job can read at all. */
public final class JournalMetrics {
    private final Metrics.Counter lines;
    private final Metrics.Counter errors;
    private final Metrics.Gauge available;
    private final boolean counting;

    public JournalMetrics(Metrics m) {
        this(m, true);
    }

    /** @param counting false for the readers of the second and later clients: each entry is counted once */
    public JournalMetrics(Metrics m, boolean counting) {
        this.counting = counting;
        lines = m.counter("tailflow_journal_target_lines_total", "Total number of successful journal lines read.", "job");
        errors = m.counter("tailflow_journal_target_parsing_errors_total",
                "Total number of journal entries not sent: no MESSAGE, or no labels left.", "error");
        available = m.gauge("tailflow_journal_available",
                "1 when the journal job reads the journal, 0 when it cannot (no libsystemd, unreadable files, errors).", "job");
    }

    void line(String job) {
        if (counting) {
            lines.inc(1, job);
        }
    }

    void skipped(String reason) {
        if (counting) {
            errors.inc(1, reason);
        }
    }

    void available(String job, boolean ok) {
        available.set(ok ? 1 : 0, job);
    }
}

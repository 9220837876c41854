package tailflow.agent.journal;

import tailflow.agent.ops.metrics.Metrics;

/** Promtail's journal target metrics (tailflow_ prefix), plus whether each job can read at all. */
public final class JournalMetrics {
    private final Metrics.Counter lines;
    private final Metrics.Counter errors;
    private final Metrics.Gauge available;

    public JournalMetrics(Metrics m) {
        lines = m.counter("tailflow_journal_target_lines_total", "Total number of successful journal lines read.", "job");
        errors = m.counter("tailflow_journal_target_parsing_errors_total",
                "Total number of journal entries not sent: no MESSAGE, or no labels left.", "error");
        available = m.gauge("tailflow_journal_available",
                "1 when the journal job reads the journal, 0 when it cannot (no libsystemd, unreadable files, errors).", "job");
    }

    void line(String job) {
        lines.inc(1, job);
    }

    void skipped(String reason) {
        errors.inc(1, reason);
    }

    void available(String job, boolean ok) {
        available.set(ok ? 1 : 0, job);
    }
}

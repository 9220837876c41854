package tailflow.agent.logs;

import tailflow.agent.ops.metrics.Metrics;

/** The file source's metric families (Promtail's names with the {@code tailflow_} prefix). */
final class FileMetrics {
    final Metrics.Counter readBytes;
    final Metrics.Counter readLines;
    final Metrics.Gauge fileBytes;
    final Metrics.Gauge lag;
    final Metrics.Gauge activeFiles;
    /** Lines changed before sending; {@code reason="invalid_utf8"} and {@code "line_too_long"}. */
    final Metrics.Counter mutatedEntries;
    final Metrics.Counter mutatedBytes;
    final Metrics.Counter fileErrors;
    final Metrics.Counter skippedFiles;
    final Metrics.Counter droppedByStages;

    /**
     * @param primary per-file read metrics come from the first client only, so two clients do not
     *                count a file twice
     */
    FileMetrics(Metrics metrics, boolean primary) {
        Metrics m = primary ? metrics : new Metrics();
        readBytes = m.counter("tailflow_read_bytes_total", "Number of bytes read from files.", "path");
        readLines = m.counter("tailflow_read_lines_total", "Number of lines read from files.", "path");
        fileBytes = m.gauge("tailflow_file_bytes_total", "Size of the files being tailed.", "path");
        activeFiles = m.gauge("tailflow_files_active_total", "Number of files being tailed.");
        mutatedEntries = m.counter("tailflow_mutated_entries_total", "Lines changed before sending.", "reason");
        mutatedBytes = m.counter("tailflow_mutated_bytes_total", "Bytes removed from lines before sending.", "reason");
        fileErrors = m.counter("tailflow_file_errors_total", "Matched files that could not be read.", "reason");
        skippedFiles = m.counter("tailflow_files_skipped_total", "Matched files that are not read, by reason.", "reason");
        lag = metrics.gauge("tailflow_positions_lag_bytes",
                "Bytes of a file not yet acknowledged by Loki (file size minus position).", "host", "path");
        droppedByStages = metrics.counter("tailflow_dropped_entries_total",
                "Number of log entries dropped because Loki rejected them for good.", "host", "reason");
    }
}

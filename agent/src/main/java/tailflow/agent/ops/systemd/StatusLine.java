package tailflow.agent.ops.systemd;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import tailflow.agent.ops.metrics.Metrics;

/**
 * The one line {@code systemctl status} shows (STATUS=), from the runtime's metrics:
 * {@code tailing 10 files, 2.5 lines/s, 1200 entries sent, last push 3s ago; sflow: 40 flow samples, 12 datagrams}.
 *
 * <p>Rates are over the time since the previous call (the daemon calls it every few seconds);
 * "last push" is when the sent-entries total last grew. Reads the families by their exposition
 * names, summed over labels, so it needs nothing from the pipelines but their metric names.
 * Not thread-safe: {@link RuntimeService} serialises the callers.
 */
final class StatusLine {
    static final String FILES = "tailflow_files_active_total";
    static final String LINES = "tailflow_read_lines_total";
    static final String SENT = "tailflow_sent_entries_total";
    static final String FLOWS = "tailflow_sflow_flow_samples_total";
    static final String DATAGRAMS = "tailflow_sflow_datagrams_total";

    private final Metrics metrics;
    private final Clock clock;
    private Instant previousAt;
    private double previousLines;
    private double lastSent;
    private Instant lastPushAt;

    StatusLine(Metrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    String next() {
        Map<String, Double> totals = totals();
        Instant now = clock.instant();
        double lines = totals.getOrDefault(LINES, 0.0);
        double sent = totals.getOrDefault(SENT, 0.0);
        String rate = "";
        if (previousAt != null) {
            double seconds = Duration.between(previousAt, now).toMillis() / 1000.0;
            if (seconds > 0) {
                rate = String.format(Locale.ROOT, ", %.1f lines/s", Math.max(0, lines - previousLines) / seconds);
            }
        }
        if (sent > lastSent) {
            lastPushAt = now;
            lastSent = sent;
        }
        previousAt = now;
        previousLines = lines;

        StringBuilder s = new StringBuilder();
        s.append("tailing ").append((long) (double) totals.getOrDefault(FILES, 0.0)).append(" files").append(rate);
        s.append(", ").append((long) sent).append(" entries sent, ");
        s.append(lastPushAt == null ? "no push yet" : "last push " + Duration.between(lastPushAt, now).toSeconds() + "s ago");
        if (totals.containsKey(FLOWS) || totals.containsKey(DATAGRAMS)) {
            s.append("; sflow: ").append((long) (double) totals.getOrDefault(FLOWS, 0.0)).append(" flow samples, ")
                    .append((long) (double) totals.getOrDefault(DATAGRAMS, 0.0)).append(" datagrams");
        }
        return s.toString();
    }

    /** Family name -> value summed over its label sets, from the text exposition. */
    private Map<String, Double> totals() {
        StringWriter text = new StringWriter();
        try {
            metrics.writeTo(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Double> totals = new HashMap<>();
        for (String line : text.toString().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name = line.substring(0, brace >= 0 && brace < space ? brace : line.indexOf(' '));
            try {
                totals.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return totals;
    }
}

package tailflow.agent.ops.systemd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import tailflow.agent.component.HealthView;
import tailflow.agent.ops.metrics.Metrics;

/**
 * The one line {@code systemctl status} shows (STATUS=), from the agent's counters and health:
 * {@code tailing 10 files, 2.5 lines/s, 1200 entries sent, last push 3s ago; sflow: 40 flow samples, 12 datagrams}
 * and, when not ready, {@code ; waiting for: ...} with the reasons {@code /ready} gives, and the
 * threads that stalled while the watchdog is withheld.
 *
 * <p>Rates are over the time since the previous call (the daemon calls it every few seconds);
 * "last push" is when the sent-entries total last grew. Counters are read by family name, summed
 * over labels, so it needs nothing from the pipelines but their metric names.
 * Not thread-safe: the caller serialises calls.
 */
public final class StatusLine {
    static final String FILES = "tailflow_files_active_total";
    static final String LINES = "tailflow_read_lines_total";
    static final String SENT = "tailflow_sent_entries_total";
    static final String FLOWS = "tailflow_sflow_flow_samples_total";
    static final String DATAGRAMS = "tailflow_sflow_datagrams_total";

    private final Metrics metrics;
    private final HealthView health;
    private final Clock clock;
    private Instant previousAt;
    private double previousLines;
    private double lastSent;
    private Instant lastPushAt;

    public StatusLine(Metrics metrics, HealthView health, Clock clock) {
        this.metrics = metrics;
        this.health = health;
        this.clock = clock;
    }

    public String next() {
        Instant now = clock.instant();
        double lines = total(LINES);
        double sent = total(SENT);
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
        s.append("tailing ").append((long) total(FILES)).append(" files").append(rate);
        s.append(", ").append((long) sent).append(" entries sent, ");
        s.append(lastPushAt == null ? "no push yet" : "last push " + Duration.between(lastPushAt, now).toSeconds() + "s ago");
        OptionalDouble flows = metrics.total(FLOWS);
        OptionalDouble datagrams = metrics.total(DATAGRAMS);
        if (flows.isPresent() || datagrams.isPresent()) {
            s.append("; sflow: ").append((long) flows.orElse(0)).append(" flow samples, ")
                    .append((long) datagrams.orElse(0)).append(" datagrams");
        }
        if (!health.ready()) {
            s.append("; waiting for: ").append(String.join(", ", health.notReady()));
        }
        List<String> stalled = health.stalled();
        if (!stalled.isEmpty()) {
            s.append("; ").append(WatchdogGate.WITHHELD).append(String.join(", ", stalled));
        }
        return s.toString();
    }

    private double total(String family) {
        return metrics.total(family).orElse(0);
    }
}

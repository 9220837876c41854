package tailflow.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scrape config's {@code journal:} block, as Promtail's {@code JournalTargetConfig}.
 *
 * @param maxAge  where to start without a usable position: this long before now (default 7h)
 * @param json    true: the line is all the entry's fields as a JSON object; false: its MESSAGE
 * @param path    a journal directory; empty: the system journal (/var/log/journal, /run/log/journal)
 * @param matches journalctl-style terms: OR within a field, AND across fields
 * @param labels  static labels added to every entry before relabelling
 */
public record JournalConfig(Duration maxAge, boolean json, Optional<Path> path, List<Match> matches,
        Map<String, String> labels) {

    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(7);

    public JournalConfig {
        matches = List.copyOf(matches);
        labels = Map.copyOf(labels);
    }

    /** One {@code FIELD=value} term of {@code matches}. */
    public record Match(String field, String value) {
        /** The form libsystemd's sd_journal_add_match takes. */
        public String term() {
            return field + "=" + value;
        }
    }
}

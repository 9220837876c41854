package tailflow.agent.journal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;

/**
 * Turns the journal's current entry into a pipeline {@link Entry} as Promtail's journal target
 * does: every field {@code K} becomes the label {@code __journal_<k lower-cased>} (PRIORITY also
 * gives {@code __journal_priority_keyword}), the job's static labels are added, the job's
 * relabelling runs, internal {@code __} labels are removed. The line is MESSAGE, or all fields as
 * JSON with {@code json: true}; the timestamp is the entry's realtime timestamp. One instance per
 * job and reader thread (it caches label names).
 */
public final class JournalEntryFactory {

    /** What became of one journal entry. */
    public sealed interface Result permits Made, Skipped {
        Checkpoint.JournalCursor checkpoint();
    }

    public record Made(Entry entry) implements Result {
        @Override
        public Checkpoint.JournalCursor checkpoint() {
            return (Checkpoint.JournalCursor) entry.checkpoint();
        }
    }

    /**
     * Not sent; {@code reason} as Promtail's journal error metric names it: no_message, or
     * empty_labels (also when relabelling dropped the entry, as in Promtail).
     */
    public record Skipped(Checkpoint.JournalCursor checkpoint, String reason) implements Result {}

    public static final String NO_MESSAGE = "no_message";
    public static final String EMPTY_LABELS = "empty_labels";
    private static final int NAME_CACHE_LIMIT = 4096;

    private final String positionKey;
    private final boolean json;
    private final Map<String, String> staticLabels;
    private final Function<Labels, Optional<Labels>> relabel;
    private final Map<String, String> labelNames = new HashMap<>();
    private final TreeMap<String, String> fields = new TreeMap<>();

    /**
     * @param positionKey the job's key in the positions file ({@code cursor-<job_name>})
     * @param relabel     the job's relabel_configs; empty result drops the entry
     */
    public JournalEntryFactory(String positionKey, boolean json, Map<String, String> staticLabels,
            Function<Labels, Optional<Labels>> relabel) {
        this.positionKey = positionKey;
        this.json = json;
        this.staticLabels = Map.copyOf(staticLabels);
        this.relabel = relabel;
    }

    /** Reads the entry {@code journal} is positioned at. */
    public Result read(SdJournal journal) throws JournalException {
        fields.clear();
        journal.fields(this::field);
        long micros = journal.realtimeMicros();
        Checkpoint.JournalCursor checkpoint = new Checkpoint.JournalCursor(positionKey, journal.cursor(), micros);
        String line;
        if (json) {
            line = JsonFields.encode(fields);
        } else {
            line = fields.get("MESSAGE");
            if (line == null) {
                return new Skipped(checkpoint, NO_MESSAGE);
            }
        }
        Map<String, String> discovered = new HashMap<>(fields.size() * 2 + staticLabels.size() + 1);
        for (Map.Entry<String, String> f : fields.entrySet()) {
            discovered.put(labelName(f.getKey()), f.getValue());
        }
        String priority = fields.get("PRIORITY");
        if (priority != null) {
            discovered.put("__journal_priority_keyword", priorityKeyword(priority));
        }
        discovered.putAll(staticLabels);
        Optional<Labels> relabelled = relabel.apply(Labels.of(discovered));
        if (relabelled.isEmpty()) {
            return new Skipped(checkpoint, EMPTY_LABELS);
        }
        Labels labels = relabelled.get().withoutInternal();
        if (labels.isEmpty()) {
            return new Skipped(checkpoint, EMPTY_LABELS);
        }
        return new Made(new Entry(labels, micros * 1_000L, line, checkpoint));
    }

    /** One {@code NAME=value} field; a name written twice keeps its last value (Promtail's map). */
    private void field(byte[] buf, int length) {
        int eq = 0;
        while (eq < length && buf[eq] != '=') {
            eq++;
        }
        if (eq == length) {
            return; // libsystemd guarantees NAME=..., a field without one is not a field
        }
        String name = new String(buf, 0, eq, StandardCharsets.US_ASCII);
        fields.put(name, new String(buf, eq + 1, length - eq - 1, StandardCharsets.UTF_8));
    }

    private String labelName(String field) {
        String n = labelNames.get(field);
        if (n == null) {
            n = "__journal_" + field.toLowerCase(Locale.ROOT);
            if (labelNames.size() < NAME_CACHE_LIMIT) {
                labelNames.put(field, n);
            }
        }
        return n;
    }

    /** Promtail's words for syslog priorities ("error" and "warning", not "err" and "warn"). */
    static String priorityKeyword(String priority) {
        return switch (priority) {
            case "0" -> "emerg";
            case "1" -> "alert";
            case "2" -> "crit";
            case "3" -> "error";
            case "4" -> "warning";
            case "5" -> "notice";
            case "6" -> "info";
            case "7" -> "debug";
            default -> priority;
        };
    }
}

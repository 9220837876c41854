package tailflow.agent.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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

    private final String positionKey;
    private final boolean json;
    private final Map<String, String> staticLabels;
    private final Function<Labels, Optional<Labels>> relabel;
    private final FieldNames names = new FieldNames();
    /** The current entry's labels before relabelling, by label name (sorted: Labels.of copies it in linear time). */
    private final TreeMap<String, String> discovered = new TreeMap<>();
    /** The current entry's fields by name, for json: true only. */
    private final TreeMap<String, String> fields = new TreeMap<>();
    private String message;
    private String priority;
    /** The fields to look up by name when relabelling reads only some labels; null: every field. */
    private final byte[][] wanted;

    /**
     * @param positionKey the job's key in the positions file ({@code cursor-<job_name>})
     * @param relabel     the job's relabel_configs; empty result drops the entry
     * @param labelsRead  the labels relabelling reads (see {@code Relabeler.labelsRead}), or empty
     *                    for all: then only those fields are read from the journal, as every other
     *                    {@code __journal_} label would be dropped unread
     */
    public JournalEntryFactory(String positionKey, boolean json, Map<String, String> staticLabels,
            Function<Labels, Optional<Labels>> relabel, Optional<Set<String>> labelsRead) {
        this.positionKey = positionKey;
        this.json = json;
        this.staticLabels = Map.copyOf(staticLabels);
        this.relabel = relabel;
        this.wanted = json ? null : labelsRead.map(JournalEntryFactory::fieldsFor).orElse(null);
    }

    /** Every field is a label: for callers that look at all of them. */
    public JournalEntryFactory(String positionKey, boolean json, Map<String, String> staticLabels,
            Function<Labels, Optional<Labels>> relabel) {
        this(positionKey, json, staticLabels, relabel, Optional.empty());
    }

    /** MESSAGE and the fields behind the {@code __journal_} labels read (journald's field names are upper case). */
    private static byte[][] fieldsFor(Set<String> labels) {
        Set<String> names = new TreeSet<>(Set.of("MESSAGE"));
        for (String l : labels) {
            if (l.equals("__journal_priority_keyword")) {
                names.add("PRIORITY");
            }
            if (l.startsWith("__journal_") && l.length() > "__journal_".length()) {
                names.add(l.substring("__journal_".length()).toUpperCase(Locale.ROOT));
            }
        }
        byte[][] out = new byte[names.size()][];
        int i = 0;
        for (String n : names) {
            byte[] b = n.getBytes(StandardCharsets.US_ASCII);
            out[i++] = Arrays.copyOf(b, b.length + 1);
        }
        return out;
    }

    /** Reads the entry {@code journal} is positioned at. */
    public Result read(SdJournal journal) throws JournalException {
        discovered.clear();
        fields.clear();
        message = null;
        priority = null;
        if (wanted == null) {
            journal.fields(this::field);
        } else {
            for (byte[] name : wanted) {
                journal.field(name, this::field);
            }
        }
        long micros = journal.realtimeMicros();
        Checkpoint.JournalCursor checkpoint = new Checkpoint.JournalCursor(positionKey, journal.cursor(), micros);
        String line;
        if (json) {
            line = JsonFields.encode(fields);
        } else {
            line = message;
            if (line == null) {
                return new Skipped(checkpoint, NO_MESSAGE);
            }
        }
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
        int slot = names.slot(buf, eq);
        String name = names.name(slot);
        String value = new String(buf, eq + 1, length - eq - 1, StandardCharsets.UTF_8);
        discovered.put(names.label(slot), value);
        if (json) {
            fields.put(name, value);
        }
        if (name.equals("MESSAGE")) {
            message = value;
        } else if (name.equals("PRIORITY")) {
            priority = value;
        }
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

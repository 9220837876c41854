package tailflow.agent.stages;

import java.util.HashMap;
import java.util.Map;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;

/**
 * One entry while it runs through a job's pipeline_stages, with Promtail's per-entry extracted
 * map. Mutable on purpose: Promtail's stages edit labels, timestamp, line and the extracted map in
 * place, and later stages see what earlier ones did; an {@link Entry} is made again only when the
 * item leaves the stages. Extracted values are what Promtail's are: String, Double (JSON numbers),
 * Boolean, or null (a JSON null: present, but no string form).
 */
public final class Item {
    Labels labels;
    long timestampNanos;
    String line;
    Labels structuredMetadata;
    Checkpoint checkpoint;
    final Map<String, Object> extracted;

    Item(Labels labels, long timestampNanos, String line, Labels structuredMetadata, Checkpoint checkpoint,
            Map<String, Object> extracted) {
        this.labels = labels;
        this.timestampNanos = timestampNanos;
        this.line = line;
        this.structuredMetadata = structuredMetadata;
        this.checkpoint = checkpoint;
        this.extracted = extracted;
    }

    static Item of(Entry e) {
        return new Item(e.labels(), e.timestampNanos(), e.line(), e.structuredMetadata(), e.checkpoint(), new HashMap<>());
    }

    /** This item made over for the next entry, its extracted map emptied (see StagesStage: only where no step keeps items). */
    Item reuseFor(Entry e) {
        labels = e.labels();
        timestampNanos = e.timestampNanos();
        line = e.line();
        structuredMetadata = e.structuredMetadata();
        checkpoint = e.checkpoint();
        extracted.clear();
        return this;
    }

    Entry toEntry() {
        return new Entry(labels, timestampNanos, line, structuredMetadata, checkpoint);
    }

    public Labels labels() {
        return labels;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    public String line() {
        return line;
    }

    public Map<String, Object> extracted() {
        return extracted;
    }

    /** The source value as Promtail's getString gives it, or null when absent or without a string form. */
    String string(String key) {
        return Values.string(extracted.get(key));
    }
}

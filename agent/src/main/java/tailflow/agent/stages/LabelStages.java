package tailflow.agent.stages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tailflow.agent.pipeline.Labels;

/**
 * Promtail's stages that set or remove stream labels: {@code labels}, {@code static_labels},
 * {@code labeldrop}, {@code labelallow}, {@code structured_metadata} and {@code tenant}.
 */
public final class LabelStages {
    /** Promtail's reserved label the client reads the tenant from (and never sends). */
    public static final String TENANT_LABEL = "__tenant_id__";

    private LabelStages() {}

    private static Map<String, String> labelSources(Map<String, String> config, String stage) {
        if (config.isEmpty()) {
            throw new IllegalArgumentException(stage + " stage config cannot be empty");
        }
        Map<String, String> out = new LinkedHashMap<>();
        config.forEach((name, source) -> {
            if (!Labels.isValidName(name)) {
                throw new IllegalArgumentException("invalid label name: " + name);
            }
            out.put(name, source == null || source.isEmpty() ? name : source);
        });
        return out;
    }

    /** {@code labels}: label name to extracted key (empty: the same name). */
    public record LabelsSpec(Map<String, String> sources) implements StageSpec {
        public static LabelsSpec of(Map<String, String> config) {
            return new LabelsSpec(labelSources(config, "labels"));
        }

        @Override
        public String name() {
            return "labels";
        }

        @Override
        public Step create(StageContext ctx) {
            return new LabelsStep(this);
        }
    }

    /**
     * The labels stage of one chain: per label it remembers, for the input set it last saw, the
     * set each value made (entries of one stream carry few distinct values), so the usual entry
     * allocates nothing; new sets are interned (one instance, one cached Loki text per stream).
     */
    private static final class LabelsStep implements Step {
        private static final int MAX_REMEMBERED_VALUES = 1024;
        private final String[] names;
        private final String[] keys;
        /** per label: the input set the remembered results are for, and value -> resulting set */
        private final Labels[] lastIn;
        private final List<Map<String, Labels>> made = new java.util.ArrayList<>();
        private final LabelsInterner interner = new LabelsInterner();

        LabelsStep(LabelsSpec spec) {
            names = spec.sources().keySet().toArray(new String[0]);
            keys = spec.sources().values().toArray(new String[0]);
            lastIn = new Labels[names.length];
            for (int i = 0; i < names.length; i++) {
                made.add(new java.util.HashMap<>());
            }
        }

        @Override
        public void process(Item item, Downstream out) {
            for (int i = 0; i < names.length; i++) {
                String v = item.string(keys[i]); // null when absent or without a string form (JSON null)
                if (v != null) {
                    Map<String, Labels> byValue = made.get(i);
                    if (item.labels != lastIn[i] || byValue.size() >= MAX_REMEMBERED_VALUES) {
                        byValue.clear();
                        lastIn[i] = item.labels;
                    }
                    Labels next = byValue.get(v);
                    if (next == null) {
                        next = interner.intern(item.labels.with(names[i], v));
                        byValue.put(v, next);
                    }
                    item.labels = next;
                }
            }
            out.emit(item);
        }
    }

    /** {@code structured_metadata}: as labels, but into the entry's structured metadata; a configured stream label moves there. */
    public record StructuredMetadataSpec(Map<String, String> sources) implements StageSpec, Step {
        public static StructuredMetadataSpec of(Map<String, String> config) {
            return new StructuredMetadataSpec(labelSources(config, "structured_metadata"));
        }

        @Override
        public String name() {
            return "structured_metadata";
        }

        @Override
        public Step create(StageContext ctx) {
            return this;
        }

        @Override
        public void process(Item item, Downstream out) {
            // Promtail's structuredmetadata.go: first the extracted values, then (extractFromLabels)
            // every configured stream label, which leaves the stream whatever its value
            Labels metadata = item.structuredMetadata;
            for (Map.Entry<String, String> e : sources.entrySet()) {
                String v = item.extracted.containsKey(e.getValue()) ? item.string(e.getValue()) : null;
                if (v != null) {
                    metadata = metadata.with(e.getKey(), v);
                }
            }
            Labels labels = item.labels;
            for (Map.Entry<String, String> e : sources.entrySet()) {
                String v = item.labels.get(e.getValue());
                if (v != null) {
                    metadata = metadata.with(e.getKey(), v);
                    labels = labels.without(e.getValue());
                }
            }
            item.labels = labels;
            item.structuredMetadata = metadata;
            out.emit(item);
        }
    }

    /** {@code static_labels}: fixed values (an empty value sets nothing). */
    public record StaticLabelsSpec(Map<String, String> labels) implements StageSpec, Step {
        public static StaticLabelsSpec of(Map<String, String> config) {
            if (config.isEmpty()) {
                throw new IllegalArgumentException("static_labels stage config cannot be empty");
            }
            Map<String, String> out = new LinkedHashMap<>();
            config.forEach((name, value) -> {
                if (!Labels.isValidName(name)) {
                    throw new IllegalArgumentException("invalid label name: " + name);
                }
                if (value != null && !value.isEmpty()) {
                    out.put(name, value);
                }
            });
            return new StaticLabelsSpec(out);
        }

        @Override
        public String name() {
            return "static_labels";
        }

        @Override
        public Step create(StageContext ctx) {
            return this;
        }

        @Override
        public void process(Item item, Downstream out) {
            labels.forEach((n, v) -> item.labels = item.labels.with(n, v));
            out.emit(item);
        }
    }

    /** {@code labeldrop} (names to remove) or {@code labelallow} (names to keep). */
    public record LabelFilterSpec(Set<String> names, boolean allow) implements StageSpec, Step {
        public static LabelFilterSpec of(List<String> names, boolean allow) {
            if (names.isEmpty()) {
                throw new IllegalArgumentException((allow ? "labelallow" : "labeldrop") + " stage config cannot be empty");
            }
            return new LabelFilterSpec(Set.copyOf(names), allow);
        }

        @Override
        public String name() {
            return allow ? "labelallow" : "labeldrop";
        }

        @Override
        public Step create(StageContext ctx) {
            return this;
        }

        @Override
        public void process(Item item, Downstream out) {
            Labels l = item.labels;
            for (int i = l.size() - 1; i >= 0; i--) {
                if (names.contains(l.name(i)) != allow) {
                    l = l.without(l.name(i));
                }
            }
            item.labels = l;
            out.emit(item);
        }
    }

    /** {@code tenant}: exactly one of source (extracted key), label or value. */
    public record TenantSpec(String source, String label, String value) implements StageSpec, Step {
        public static TenantSpec of(String source, String label, String value) {
            int given = (source.isEmpty() ? 0 : 1) + (label.isEmpty() ? 0 : 1) + (value.isEmpty() ? 0 : 1);
            if (given == 0) {
                throw new IllegalArgumentException("label, source or value config are required");
            }
            if (given > 1) {
                throw new IllegalArgumentException("label, source and value are mutually exclusive: set one of them");
            }
            return new TenantSpec(source, label, value);
        }

        @Override
        public String name() {
            return "tenant";
        }

        @Override
        public Step create(StageContext ctx) {
            return this;
        }

        @Override
        public void process(Item item, Downstream out) {
            String tenant;
            if (!source.isEmpty()) {
                tenant = item.extracted.containsKey(source) ? item.string(source) : null;
            } else if (!label.isEmpty()) {
                tenant = item.labels.get(label);
            } else {
                tenant = value;
            }
            if (tenant != null && !tenant.isEmpty()) {
                item.labels = item.labels.with(TENANT_LABEL, tenant);
            }
            out.emit(item);
        }
    }

    /** {@code output}: the line becomes an extracted value. */
    public record OutputSpec(String source) implements StageSpec, Step {
        public static OutputSpec of(String source) {
            if (source == null || source.isEmpty()) {
                throw new IllegalArgumentException("output source value is required if output is specified");
            }
            return new OutputSpec(source);
        }

        @Override
        public String name() {
            return "output";
        }

        @Override
        public Step create(StageContext ctx) {
            return this;
        }

        @Override
        public void process(Item item, Downstream out) {
            String v = item.extracted.containsKey(source) ? item.string(source) : null;
            if (v != null) {
                item.line = v;
            }
            out.emit(item);
        }
    }
}

package tailflow.agent.stages;

import java.util.List;
import java.util.Set;
import tailflow.agent.pipeline.Emitter;
import tailflow.agent.pipeline.Stage;

/**
 * A job's pipeline_stages as one {@link Stage} of the log pipeline: each entry gets a fresh
 * extracted map, runs through the steps, and leaves as an entry again.
 */
public final class StagesStage implements Stage {
    /** Stages that never keep an item (or its extracted map) once they passed it on or dropped it. */
    private static final Set<String> PASS_THROUGH = Set.of("regex", "json", "logfmt", "replace", "decolorize",
            "template", "pack", "timestamp", "output", "labels", "static_labels", "labeldrop", "labelallow",
            "structured_metadata", "tenant", "limit", "sampling", "metrics", "drop");

    private final StepChain chain;
    private final Bridge bridge = new Bridge();
    /** One item (and extracted map) for every entry when all stages pass items through, else null: a new item per entry. */
    private final Item reused;

    public StagesStage(List<StageSpec> specs, StageContext ctx) {
        Set<String> read = keysRead(specs);
        this.chain = read == null ? StepChain.of(specs, ctx) : StepChain.of(specs, ctx).copyingOnly(read);
        boolean passThrough = specs.stream().allMatch(s -> PASS_THROUGH.contains(s.name()));
        this.reused = passThrough ? Item.of(new tailflow.agent.pipeline.Entry(tailflow.agent.pipeline.Labels.empty(), 0, "",
                new tailflow.agent.pipeline.Checkpoint.FileOffset("", 0))) : null;
    }

    /**
     * The extracted keys the stages can read, when every stage is one whose reads are known (regex,
     * labels, timestamp, static_labels, labeldrop, labelallow); null otherwise (a template, json
     * source, match ... may read any key).
     */
    static Set<String> keysRead(List<StageSpec> specs) {
        Set<String> keys = new java.util.HashSet<>();
        for (StageSpec s : specs) {
            if (s instanceof RegexStage.Spec r) {
                r.source().ifPresent(keys::add);
            } else if (s instanceof LabelStages.LabelsSpec l) {
                keys.addAll(l.sources().values());
            } else if (s instanceof TimestampStage.Spec t) {
                keys.add(t.source());
            } else if (!(s instanceof LabelStages.StaticLabelsSpec || s instanceof LabelStages.LabelFilterSpec)) {
                return null;
            }
        }
        return Set.copyOf(keys);
    }

    @Override
    public void process(tailflow.agent.pipeline.Entry entry, Emitter out) {
        bridge.out = out;
        chain.process(reused != null ? reused.reuseFor(entry) : Item.of(entry), bridge);
    }

    @Override
    public void tick(long monoNanos, Emitter out) {
        bridge.out = out;
        chain.tick(monoNanos, bridge);
    }

    @Override
    public void flush(Emitter out) {
        bridge.out = out;
        chain.flush(bridge);
    }

    @Override
    public boolean holding() {
        return chain.holding();
    }

    /** Turns items back into entries for the emitter of the current call, with one Labels instance per stream. */
    private static final class Bridge implements Step.Downstream {
        Emitter out;
        private final LabelsInterner interner = new LabelsInterner();

        @Override
        public void emit(Item item) {
            item.labels = interner.intern(item.labels);
            out.emit(item.toEntry());
        }

        @Override
        public void drop(Item item, String reason) {
            out.drop(item.toEntry(), reason);
        }
    }
}

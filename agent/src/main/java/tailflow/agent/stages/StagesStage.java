package tailflow.agent.stages;

import java.util.List;
import tailflow.agent.pipeline.Emitter;
import tailflow.agent.pipeline.Stage;

/**
 * A job's pipeline_stages as one {@link Stage} of the log pipeline: each entry gets a fresh
 * extracted map, runs through the steps, and leaves as an entry again.
 */
public final class StagesStage implements Stage {
    private final StepChain chain;
    private final Bridge bridge = new Bridge();

    public StagesStage(List<StageSpec> specs, StageContext ctx) {
        this.chain = StepChain.of(specs, ctx);
    }

    @Override
    public void process(tailflow.agent.pipeline.Entry entry, Emitter out) {
        bridge.out = out;
        chain.process(Item.of(entry), bridge);
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

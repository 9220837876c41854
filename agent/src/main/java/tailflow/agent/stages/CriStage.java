package tailflow.agent.stages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tailflow.agent.pipeline.Labels;

/** The partial-line joining of {@link FormatStages.CriSpec}, after its base pipeline parsed the line. */
final class CriStage implements Step {
    private final StepChain base;
    private final FormatStages.CriSpec spec;
    private final Map<Labels, Item> partial = new LinkedHashMap<>();
    private final Joiner joiner = new Joiner();

    CriStage(StepChain base, FormatStages.CriSpec spec) {
        this.base = base;
        this.spec = spec;
    }

    @Override
    public void process(Item item, Downstream out) {
        joiner.out = out;
        base.process(item, joiner);
    }

    /** Stopping: held partial lines go out as they are rather than being lost. */
    @Override
    public void flush(Downstream out) {
        List<Item> held = new ArrayList<>(partial.values());
        partial.clear();
        held.forEach(out::emit);
    }

    @Override
    public boolean holding() {
        return !partial.isEmpty();
    }

    /** Receives the base pipeline's output and joins partial lines. */
    private final class Joiner implements Downstream {
        Downstream out;

        @Override
        public void emit(Item e) {
            Item prev = partial.get(e.labels);
            if ("P".equals(e.extracted.get("flags"))) {
                if (partial.size() >= spec.maxPartialLines()) {
                    List<Item> held = new ArrayList<>(partial.values());
                    partial.clear();
                    partial.put(e.labels, truncated(e));
                    held.forEach(out::emit);
                    return;
                }
                partial.put(e.labels, truncated(prev == null ? e : joined(prev, e)));
                return;
            }
            if (prev != null) {
                partial.remove(e.labels);
                out.emit(truncated(joined(prev, e)));
            } else {
                out.emit(e);
            }
        }

        @Override
        public void drop(Item item, String reason) {
            out.drop(item, reason);
        }
    }

    /** {@code next} with the held line in front: its checkpoint is the later one. */
    private static Item joined(Item prev, Item next) {
        next.line = prev.line + next.line;
        return next;
    }

    private Item truncated(Item e) {
        if (spec.truncate() && spec.maxPartialLineSize() > 0) {
            e.line = ByteSize.truncateUtf8(e.line, spec.maxPartialLineSize());
        }
        return e;
    }
}

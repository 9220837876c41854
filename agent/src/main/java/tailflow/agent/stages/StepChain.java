package tailflow.agent.stages;

import java.util.List;
import java.util.Set;

/**
 * A list of steps run in order, as Promtail's Pipeline: on entry the item's labels are copied into
 * its extracted map (so stages can read labels such as {@code filename}), then each step's output
 * goes to the next step, the last one's to the chain's own downstream.
 */
final class StepChain implements Step {
    private final Step[] steps;
    private final Link[] links;
    private Downstream outer;
    /** The extracted keys the steps can read when that is known ({@link StagesStage}), else null: all labels are copied. */
    private Set<String> keysRead;

    StepChain(List<Step> steps) {
        this.steps = steps.toArray(new Step[0]);
        this.links = new Link[this.steps.length];
        for (int i = 0; i < links.length; i++) {
            links[i] = new Link(i + 1);
        }
    }

    static StepChain of(List<StageSpec> specs, StageContext ctx) {
        return new StepChain(specs.stream().map(s -> s.create(ctx)).toList());
    }

    /**
     * Copies only the labels named in {@code keys} into the extracted map: for a chain whose steps
     * read no other extracted key, the other copies can never be seen (and cost a map entry per
     * label per entry).
     */
    StepChain copyingOnly(Set<String> keys) {
        keysRead = keys;
        return this;
    }

    @Override
    public void process(Item item, Downstream out) {
        outer = out;
        for (int i = 0; i < item.labels.size(); i++) {
            if (keysRead == null || keysRead.contains(item.labels.name(i))) {
                item.extracted.put(item.labels.name(i), item.labels.value(i));
            }
        }
        if (steps.length == 0) {
            out.emit(item);
        } else {
            steps[0].process(item, links[0]);
        }
    }

    @Override
    public void tick(long monoNanos, Downstream out) {
        outer = out;
        for (int i = 0; i < steps.length; i++) {
            steps[i].tick(monoNanos, links[i]);
        }
    }

    @Override
    public void flush(Downstream out) {
        outer = out;
        for (int i = 0; i < steps.length; i++) {
            steps[i].flush(links[i]);
        }
    }

    @Override
    public boolean holding() {
        for (Step s : steps) {
            if (s.holding()) {
                return true;
            }
        }
        return false;
    }

    /** Hands an item from step {@code next - 1} to step {@code next}, or out of the chain after the last. */
    private final class Link implements Downstream {
        private final int next;

        Link(int next) {
            this.next = next;
        }

        @Override
        public void emit(Item item) {
            if (next < steps.length) {
                steps[next].process(item, links[next]);
            } else {
                outer.emit(item);
            }
        }

        @Override
        public void drop(Item item, String reason) {
            outer.drop(item, reason);
        }
    }
}

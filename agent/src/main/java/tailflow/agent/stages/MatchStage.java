package tailflow.agent.stages;

import java.util.List;
import java.util.Optional;

/**
 * Promtail's {@code match} stage: entries whose labels and line match the selector run through
 * the nested {@code stages} ({@code action: keep}, the default) or are dropped ({@code action: drop},
 * counted under {@code drop_counter_reason}, default {@code match_stage}); the others pass unchanged.
 */
public final class MatchStage implements Step {

    public record Spec(Selector selector, List<StageSpec> stages, boolean drop, String dropReason,
            Optional<String> pipelineName) implements StageSpec {

        public static Spec of(String selector, List<StageSpec> stages, Optional<String> action, Optional<String> dropReason,
                Optional<String> pipelineName) {
            if (pipelineName.isPresent() && pipelineName.get().isEmpty()) {
                throw new IllegalArgumentException("match stage pipeline name can be omitted but cannot be an empty string");
            }
            if (selector == null || selector.isEmpty()) {
                throw new IllegalArgumentException("selector statement required for match stage");
            }
            boolean drop = switch (action.orElse("keep")) {
                case "keep", "" -> false;
                case "drop" -> true;
                default -> throw new IllegalArgumentException("match stage action should be 'keep' or 'drop'");
            };
            if (!drop && stages.isEmpty()) {
                throw new IllegalArgumentException("match stage requires at least one additional stage to be defined in '- stages'");
            }
            if (drop && !stages.isEmpty()) {
                throw new IllegalArgumentException("match stage configured to drop entries cannot contains stages");
            }
            return new Spec(Selector.parse(selector), List.copyOf(stages), drop,
                    dropReason.filter(r -> !r.isEmpty()).orElse("match_stage"), pipelineName);
        }

        @Override
        public String name() {
            return "match";
        }

        @Override
        public Step create(StageContext ctx) {
            StageContext nested = pipelineName.map(n -> new StageContext(ctx.wall(), ctx.monoNanos(), ctx.metrics(),
                    ctx.recordMetrics(), ctx.jobName() + "_" + n, ctx.random(), ctx.sleeper())).orElse(ctx);
            return new MatchStage(this, drop ? null : StepChain.of(stages, nested));
        }
    }

    private final Spec spec;
    private final StepChain nested;

    MatchStage(Spec spec, StepChain nested) {
        this.spec = spec;
        this.nested = nested;
    }

    @Override
    public void process(Item item, Downstream out) {
        if (!spec.selector.matches(item.labels, item.line)) {
            out.emit(item);
        } else if (spec.drop) {
            out.drop(item, spec.dropReason);
        } else {
            nested.process(item, out);
        }
    }

    @Override
    public void tick(long monoNanos, Downstream out) {
        if (nested != null) {
            nested.tick(monoNanos, out);
        }
    }

    @Override
    public void flush(Downstream out) {
        if (nested != null) {
            nested.flush(out);
        }
    }

    @Override
    public boolean holding() {
        return nested != null && nested.holding();
    }
}

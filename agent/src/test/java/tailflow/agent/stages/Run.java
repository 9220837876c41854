package tailflow.agent.stages;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import tailflow.agent.ops.metrics.Metrics;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Labels;

/** Runs steps on items in tests: what came out, what was dropped and why, with a settable clock. */
final class Run implements Step.Downstream {
    static final Instant NOW = Instant.parse("2024-07-15T12:00:00Z");

    final List<Item> out = new ArrayList<>();
    final List<String> dropped = new ArrayList<>();
    final AtomicLong mono = new AtomicLong(1_000_000_000L);
    final List<Long> slept = new ArrayList<>();
    Clock wall = Clock.fixed(NOW, ZoneOffset.UTC);
    final Metrics metrics = new Metrics();

    StageContext ctx() {
        return new StageContext(wall, mono::get, metrics, true, "job", RandomGenerator.of("L64X128MixRandom"), slept::add);
    }

    Step step(StageSpec spec) {
        return new StepChain(List.of(spec.create(ctx())));
    }

    Step chain(StageSpec... specs) {
        return StepChain.of(List.of(specs), ctx());
    }

    static Item item(String line) {
        return item(line, Labels.empty(), Map.of());
    }

    static Item item(String line, Labels labels, Map<String, Object> extracted) {
        return new Item(labels, 1_000L, line, Labels.empty(), new Checkpoint.FileOffset("f", line.length()),
                new HashMap<>(extracted));
    }

    /** Runs one item through {@code s}, returning the single item that came out (or null if none). */
    Item one(Step s, Item in) {
        int before = out.size();
        s.process(in, this);
        return out.size() > before ? out.get(out.size() - 1) : null;
    }

    @Override
    public void emit(Item item) {
        out.add(item);
    }

    @Override
    public void drop(Item item, String reason) {
        dropped.add(reason);
    }
}

package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Emitter;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;
import tailflow.agent.pipeline.Stage;

class ReadlineLimitTest {
    private final AtomicLong mono = new AtomicLong();
    private final List<Long> slept = new ArrayList<>();
    private final List<String> seen = new ArrayList<>();
    private final Emitter out = new Emitter() {
        @Override
        public void emit(Entry entry) {
            seen.add("emit " + entry.line());
        }

        @Override
        public void drop(Entry entry, String reason) {
            seen.add("drop " + entry.line() + " " + reason);
        }
    };

    private static Entry e(String line) {
        return new Entry(Labels.empty(), 1, line, new Checkpoint.FileOffset("f", 1));
    }

    @Test
    void dropsBeyondRateAndBurstSharedByEveryChain() {
        ReadlineLimit limit = new ReadlineLimit(2, 2, true, mono::get, slept::add);
        Stage a = limit.stage();
        Stage b = limit.stage();
        a.process(e("1"), out);
        b.process(e("2"), out);
        a.process(e("3"), out);
        mono.addAndGet(500_000_000L);
        b.process(e("4"), out);
        assertThat(seen).containsExactly("emit 1", "emit 2", "drop 3 global_rate_limiter_drop", "emit 4");
    }

    @Test
    void waitsInsteadOfDroppingWhenAsked() {
        ReadlineLimit limit = new ReadlineLimit(4, 1, false, mono::get, slept::add);
        limit.stage().process(e("1"), out);
        limit.stage().process(e("2"), out);
        assertThat(seen).containsExactly("emit 1", "emit 2");
        assertThat(slept).containsExactly(250_000_000L);
    }
}

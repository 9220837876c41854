package tailflow.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A drop moves the position on; only an {@link Emitter#UNCOUNTED} drop is left out of the counters. */
class ChainDropTest {

    @Test
    void uncountedDropsAreNotReportedButTheirCheckpointsAreDone() {
        List<String> reasons = new ArrayList<>();
        List<Checkpoint> done = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        Stage dropper = (entry, out) -> {
            switch (entry.line()) {
                case "bad json" -> out.drop(entry, Emitter.UNCOUNTED);
                case "noise" -> out.drop(entry, "noise");
                default -> out.emit(entry);
            }
        };
        Chain chain = new Chain(List.of(dropper), new ChainOutput() {
            @Override
            public void entry(Entry entry) {
                sent.add(entry.line());
            }

            @Override
            public void done(Checkpoint checkpoint) {
                done.add(checkpoint);
            }
        }, reasons::add);
        long offset = 0;
        for (String line : List.of("ok", "bad json", "noise", "fine")) {
            offset += line.length() + 1;
            chain.process(new Entry(Labels.of("job", "j"), 1, line, new Checkpoint.FileOffset("f", offset)));
        }
        assertThat(sent).containsExactly("ok", "fine");
        assertThat(reasons).containsExactly("noise");
        assertThat(done).last().isEqualTo(new Checkpoint.FileOffset("f", 23));
        assertThat(done).contains(new Checkpoint.FileOffset("f", 12));
    }
}

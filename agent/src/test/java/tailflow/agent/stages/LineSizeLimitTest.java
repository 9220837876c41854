package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Emitter;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;

/** Promtail's client (client.go run): max_line_size drops, or with max_line_size_truncate cuts, by UTF-8 bytes. */
class LineSizeLimitTest {

    private final List<String> emitted = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();
    private final List<Long> removed = new ArrayList<>();

    private final Emitter out = new Emitter() {
        @Override
        public void emit(Entry e) {
            emitted.add(e.line());
        }

        @Override
        public void drop(Entry e, String reason) {
            dropped.add(reason);
        }
    };

    @ParameterizedTest(name = "max {0} truncate {1}: \"{2}\" -> \"{3}\"")
    @CsvSource(delimiter = '|', value = {
        // max | truncate | line | sent ("-" = dropped) | bytes removed
        "5 | false | hello      | hello | 0",
        "5 | false | hello!     | -     | 0",
        "5 | true  | hello!     | hello | 1",
        "4 | true  | abcdefghij | abcd  | 6",
        // é is 2 bytes: 'aé' is 3 bytes, within 3; 'aéé' is 5 bytes, over 4: cut before the second é
        "3 | false | aé         | aé    | 0",
        "4 | true  | aéé        | aé    | 2",
        "4 | false | aéé        | -     | 0",
        // a 4-byte character (U+1F600) is never split
        "2 | true  | 😀x        | ''    | 5",
    })
    void dropsOrCutsLinesOverTheLimit(int max, boolean truncate, String line, String sent, long bytesRemoved) {
        new LineSizeLimit(max, truncate, removed::add)
                .process(new Entry(Labels.of("job", "j"), 1, line, new Checkpoint.FileOffset("f", 1)), out);
        if (sent.equals("-")) {
            assertThat(emitted).isEmpty();
            assertThat(dropped).containsExactly("line_too_long");
        } else {
            assertThat(emitted).containsExactly(sent);
            assertThat(dropped).isEmpty();
        }
        assertThat(removed).isEqualTo(bytesRemoved == 0 ? List.of() : List.of(bytesRemoved));
    }
}

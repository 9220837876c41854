package tailflow.agent.stages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Labels;

/**
 * Promtail's multiline.go (runMultiline, flush): cases from multiline_test.go, and the start line
 * that outlives a flush: lines after a block cut by max_lines or max_wait_time form a block that
 * takes the timestamp and extracted values of the stream's latest first line (state.startLineEntry).
 */
class MultilineParityTest {
    private final Run run = new Run();
    private final Labels one = Labels.of("value", "one");
    private final Labels two = Labels.of("value", "two");

    private static Item at(String line, Labels l, long ts, Map<String, Object> extracted) {
        return new Item(l, ts, line, Labels.empty(), new Checkpoint.FileOffset("f", ts), new HashMap<>(extracted));
    }

    @Test
    void processAsMultilineTest() {
        Step s = run.step(MultilineStage.Spec.of("^START", 3_000_000_000L, 128));
        Labels l = Labels.of("value", "label");
        for (String line : new String[] {"not a start line before 1", "not a start line before 2", "START line 1",
            "not a start line", "START line 2", "START line 3"}) {
            s.process(at(line, l, 1, Map.of()), run);
        }
        s.flush(run);
        assertThat(run.out).extracting(Item::line).containsExactly("not a start line before 1",
                "not a start line before 2", "START line 1\nnot a start line", "START line 2", "START line 3");
    }

    @Test
    void multiStreamsAsMultilineTest() {
        Step s = run.step(MultilineStage.Spec.of("^START", 3_000_000_000L, 128));
        s.process(at("START line 1", one, 1, Map.of()), run);
        s.process(at("not a start line 1", one, 2, Map.of()), run);
        s.process(at("START line 1", two, 3, Map.of()), run);
        s.process(at("not a start line 2", one, 4, Map.of()), run);
        s.process(at("START line 2", two, 5, Map.of()), run);
        s.process(at("START line 2", one, 6, Map.of()), run);
        s.process(at("not a start line 1", one, 7, Map.of()), run);
        s.flush(run);
        assertThat(run.out).extracting(i -> i.labels().get("value") + ":" + i.line()).containsExactlyInAnyOrder(
                "one:START line 1\nnot a start line 1\nnot a start line 2", "two:START line 1", "two:START line 2",
                "one:START line 2\nnot a start line 1");
    }

    @Test
    void linesAfterMaxLinesKeepTheFirstLinesTimestampAndExtracted() {
        Step s = run.step(MultilineStage.Spec.of("^START", 3_000_000_000L, 2));
        s.process(at("START a", one, 10, Map.of("k", "from start")), run);
        s.process(at("more 1", one, 20, Map.of()), run);
        s.process(at("more 2", one, 30, Map.of()), run);
        s.process(at("more 3", one, 40, Map.of()), run);
        s.process(at("more 4", one, 50, Map.of()), run);
        assertThat(run.out).extracting(Item::line).containsExactly("START a\nmore 1", "more 2\nmore 3");
        assertThat(run.out).extracting(Item::timestampNanos).containsExactly(10L, 10L);
        assertThat(run.out.get(1).extracted()).containsEntry("k", "from start");
        assertThat(run.out.get(1).toEntry().checkpoint()).isEqualTo(new Checkpoint.FileOffset("f", 40));
        assertThat(s.holding()).isTrue();
    }

    @Test
    void aLineAfterTheWaitTimeIsItsOwnBlockUnderTheSameFirstLine() {
        Step s = run.step(MultilineStage.Spec.of("^START", 3_000_000_000L, 128));
        s.process(at("START line", one, 10, Map.of()), run);
        s.tick(run.mono.get() + 3_000_000_000L, run);
        s.process(at("not a start line hitting timeout", one, 20, Map.of()), run);
        s.flush(run);
        assertThat(run.out).extracting(Item::line).containsExactly("START line", "not a start line hitting timeout");
        assertThat(run.out).extracting(Item::timestampNanos).containsExactly(10L, 10L);
    }
}

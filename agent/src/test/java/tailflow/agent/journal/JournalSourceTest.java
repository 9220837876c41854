package tailflow.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.config.JournalConfig;
import tailflow.agent.ops.metrics.Metrics;
import tailflow.agent.pipeline.Chain;
import tailflow.agent.pipeline.ChainOutput;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.positions.JournalPosition;
import tailflow.agent.positions.PositionsFile;
import tailflow.agent.relabel.Relabeler;

/** The journal source through a chain: positions saved only for acknowledged entries, other jobs' cursors kept. */
class JournalSourceTest {
    static final long T0 = 1_700_000_000_000_000L;

    @TempDir
    Path tmp;

    private final List<Entry> sent = new ArrayList<>();
    private final List<Checkpoint> done = new ArrayList<>();
    private boolean full;

    private JournalSource source(Path journalDir, PositionsFile positions) {
        ChainOutput out = new ChainOutput() {
            @Override
            public void entry(Entry entry) {
                sent.add(entry);
            }

            @Override
            public void done(Checkpoint checkpoint) {
                done.add(checkpoint);
            }
        };
        JournalConfig cfg = new JournalConfig(Duration.ofDays(3650), false, Optional.of(journalDir), List.of(), Map.of("job", "j"));
        JournalTail tail = new JournalTail("j", cfg, new Relabeler(List.of()), () -> T0 + 1_000_000, new JournalMetrics(new Metrics()));
        return new JournalSource("client", positions, () -> full, List.of(new JournalSource.Job(tail, new Chain(List.of(), out, r -> { }))));
    }

    @Test
    void savesOnlyAcknowledgedCursorsUnderPromtailsKeyAndKeepsOthers() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("j"));
        new ExportJournal().addMany(T0, 4, "m").writeTo(dir.resolve("system.journal"));
        PositionsFile positions = new PositionsFile(tmp.resolve("positions.yaml"));
        positions.writeJournal("client", Map.of("cursor-gone", new JournalPosition("s=1;t=1", 1)));

        JournalSource s = source(dir, positions);
        s.open();
        full = false;
        for (int i = 0; i < 10 && s.read(0); i++) {
            // reads everything there is
        }
        assertThat(sent).extracting(Entry::line).containsExactly("m 0", "m 1", "m 2", "m 3");
        s.savePositions(false);
        assertThat(positions.journal("client")).containsOnlyKeys("cursor-gone");

        s.acknowledged(done.get(1));
        s.savePositions(false);
        Checkpoint.JournalCursor acked = (Checkpoint.JournalCursor) done.get(1);
        assertThat(new PositionsFile(tmp.resolve("positions.yaml")).journal("client"))
                .containsEntry("cursor-j", new JournalPosition(acked.cursor(), acked.realtimeMicros()))
                .containsKey("cursor-gone");
        s.close();

        // restarted: continues after the acknowledged entry
        sent.clear();
        JournalSource again = source(dir, new PositionsFile(tmp.resolve("positions.yaml")));
        again.open();
        for (int i = 0; i < 10 && again.read(0); i++) {
            // reads everything there is
        }
        assertThat(sent).extracting(Entry::line).containsExactly("m 2", "m 3");
        again.close();
    }

    @Test
    void aFullClientStopsReading() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("j"));
        new ExportJournal().addMany(T0, 3, "m").writeTo(dir.resolve("system.journal"));
        JournalSource s = source(dir, new PositionsFile(tmp.resolve("positions.yaml")));
        s.open();
        full = true;
        assertThat(s.read(0)).isFalse();
        assertThat(sent).isEmpty();
        s.close();
    }
}

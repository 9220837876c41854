package tailflow.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

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
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.relabel.Relabeler;

/** One journal job read through libsystemd: order, acknowledgement, restart, new files, no MESSAGE. */
class JournalTailTest {
    static final long T0 = 1_700_000_000_000_000L;
    static final long NOW = T0 + 3_600_000_000L;

    @TempDir
    Path dir;
    final Metrics metrics = new Metrics();

    private JournalTail tail() {
        JournalConfig cfg = new JournalConfig(Duration.ofHours(7), false, Optional.of(dir), List.of(), Map.of("job", "j"));
        return new JournalTail("j", cfg, new Relabeler(List.of()), () -> NOW, new JournalMetrics(metrics));
    }

    private static List<String> drain(JournalTail t, List<Entry> into) {
        List<String> lines = new ArrayList<>();
        for (int guard = 0; guard < 100; guard++) {
            int before = into.size();
            if (t.read(0, 3, () -> false, into::add) == 0) {
                break;
            }
            into.subList(before, into.size()).forEach(e -> lines.add(e.line()));
        }
        return lines;
    }

    @Test
    void readsInOrderAndAdvancesOnlyOnAcknowledgement() throws Exception {
        new ExportJournal().addMany(T0, 5, "a").writeTo(dir.resolve("one.journal"));
        List<Entry> got = new ArrayList<>();
        try (JournalTail t = tail()) {
            assertThat(drain(t, got)).containsExactly("a 0", "a 1", "a 2", "a 3", "a 4");
            assertThat(got.get(2).timestampNanos()).isEqualTo((T0 + 2_000) * 1_000);
            assertThat(t.changedPosition()).isEmpty();
            t.acknowledged(new Checkpoint.JournalCursor("cursor-other", "x", 1));
            assertThat(t.changedPosition()).isEmpty();
            t.acknowledged(got.get(2).checkpoint());
            assertThat(t.changedPosition()).contains((Checkpoint.JournalCursor) got.get(2).checkpoint());
            assertThat(metrics.total("tailflow_journal_target_lines_total")).hasValue(5);
            assertThat(metrics.total("tailflow_journal_available")).hasValue(1);
        }
        // a restart from the acknowledged cursor sends what was not acknowledged, once
        List<Entry> again = new ArrayList<>();
        try (JournalTail t = tail()) {
            t.restore(Optional.of((Checkpoint.JournalCursor) got.get(2).checkpoint()));
            assertThat(drain(t, again)).containsExactly("a 3", "a 4");
            assertThat(t.start().orElseThrow().kind()).isEqualTo(JournalStart.Kind.AFTER_CURSOR);
        }
    }

    @Test
    void aNewJournalFileWhileReadingIsPickedUp() throws Exception {
        new ExportJournal().addMany(T0, 3, "a").writeTo(dir.resolve("one.journal"));
        List<Entry> got = new ArrayList<>();
        try (JournalTail t = tail()) {
            assertThat(drain(t, got)).containsExactly("a 0", "a 1", "a 2");
            // what rotation does: journald starts a new file beside the archived one
            new ExportJournal().addMany(T0 + 10_000, 2, "b").writeTo(dir.resolve("two.journal"));
            List<String> more = new ArrayList<>();
            for (int i = 0; i < 50 && more.size() < 2; i++) {
                more.addAll(drain(t, got));
            }
            assertThat(more).containsExactly("b 0", "b 1");
        }
    }

    @Test
    void entriesWithoutMessageAreCountedAndPassedBy() throws Exception {
        new ExportJournal().add(T0, Map.of("PRIORITY", "6")).add(T0 + 1, Map.of("MESSAGE", "m"))
                .writeTo(dir.resolve("one.journal"));
        List<Entry> got = new ArrayList<>();
        try (JournalTail t = tail()) {
            assertThat(drain(t, got)).containsExactly("m");
            assertThat(metrics.total("tailflow_journal_target_parsing_errors_total")).hasValue(1);
            // the skipped first entry needs no acknowledgement
            assertThat(t.changedPosition()).isPresent();
        }
    }

    @Test
    void withoutLibsystemdTheJobIsUnavailableSaysWhyAndRetriesLater() throws Exception {
        new ExportJournal().addMany(T0, 2, "a").writeTo(dir.resolve("one.journal"));
        Optional<String> why = Libsystemd.probe("libsystemd-missing.so.0");
        assertThat(why).hasValueSatisfying(w -> assertThat(w).startsWith("libsystemd-missing.so.0 not found (")
                .endsWith("(Debian: libsystemd0)"));
        JournalConfig cfg = new JournalConfig(Duration.ofHours(7), false, Optional.of(dir), List.of(), Map.of());
        List<Entry> got = new ArrayList<>();
        try (JournalTail t = new JournalTail("j", cfg, new Relabeler(List.of()), () -> NOW, new JournalMetrics(metrics),
                () -> why)) {
            assertThat(t.read(0, 10, () -> false, got::add)).isZero();
            assertThat(metrics.total("tailflow_journal_available")).hasValue(0);
            // not retried before RETRY_NANOS
            assertThat(t.read(JournalTail.RETRY_NANOS - 1, 10, () -> false, got::add)).isZero();
        }
        assertThat(got).isEmpty();
    }

    @Test
    void aMissingDirectoryIsUnavailableAndRetried() {
        JournalConfig cfg = new JournalConfig(Duration.ofHours(7), false, Optional.of(dir.resolve("none")), List.of(), Map.of());
        try (JournalTail t = new JournalTail("j", cfg, new Relabeler(List.of()), () -> NOW, new JournalMetrics(metrics))) {
            // sd_journal_open_directory accepts a missing directory and finds nothing in it
            assertThat(t.read(0, 10, () -> false, e -> { })).isZero();
        }
    }
}

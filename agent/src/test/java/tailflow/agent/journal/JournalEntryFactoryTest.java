package tailflow.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;
import tailflow.agent.relabel.RelabelAction;
import tailflow.agent.relabel.RelabelRule;
import tailflow.agent.relabel.Relabeler;

/** Promtail's journal entry shape: labels, priority keyword, MESSAGE or JSON line, timestamps. */
class JournalEntryFactoryTest {
    static final long T0 = 1_700_000_000_000_000L;

    @TempDir
    static Path dir;

    @BeforeAll
    static void journal() throws Exception {
        new ExportJournal()
                .add(T0, Map.of("MESSAGE", "sshd started", "PRIORITY", "6", "_SYSTEMD_UNIT", "ssh.service",
                        "SYSLOG_IDENTIFIER", "sshd", "_HOSTNAME", "h1"))
                .add(T0 + 1, Map.of("PRIORITY", "3", "_SYSTEMD_UNIT", "nomsg.service"))
                .add(T0 + 2, Map.of("MESSAGE", "<b>\"quoted\"</b>\ttab & more", "PRIORITY", "4", "_SYSTEMD_UNIT", "cron.service"))
                .writeTo(dir.resolve("system.journal"));
    }

    private static List<JournalEntryFactory.Result> readAll(JournalEntryFactory f) throws Exception {
        List<JournalEntryFactory.Result> out = new ArrayList<>();
        try (SdJournal j = SdJournal.openDirectory(dir)) {
            j.seekHead();
            while (j.next()) {
                out.add(f.read(j));
            }
        }
        return out;
    }

    private static final RelabelRule UNIT = RelabelRule.of(List.of("__journal__systemd_unit"), ";", "(.*)", 0, "unit", "$1",
            RelabelAction.REPLACE);
    private static final RelabelRule LEVEL = RelabelRule.of(List.of("__journal_priority_keyword"), ";", "(.*)", 0, "level",
            "$1", RelabelAction.REPLACE);

    @Test
    void promtailsExampleLabelsAndLine() throws Exception {
        List<JournalEntryFactory.Result> r = readAll(new JournalEntryFactory("cursor-journal", false,
                Map.of("job", "systemd-journal"), new Relabeler(List.of(UNIT, LEVEL))::apply));
        Entry e = ((JournalEntryFactory.Made) r.get(0)).entry();
        assertThat(e.labels()).isEqualTo(Labels.of("job", "systemd-journal", "unit", "ssh.service", "level", "info"));
        assertThat(e.line()).isEqualTo("sshd started");
        assertThat(e.timestampNanos()).isEqualTo(T0 * 1_000);
        Checkpoint.JournalCursor c = (Checkpoint.JournalCursor) e.checkpoint();
        assertThat(c.positionKey()).isEqualTo("cursor-journal");
        assertThat(c.realtimeMicros()).isEqualTo(T0);
        assertThat(c.cursor()).startsWith("s=");
        assertThat(r.get(1)).isEqualTo(new JournalEntryFactory.Skipped(r.get(1).checkpoint(), "no_message"));
        assertThat(((JournalEntryFactory.Made) r.get(2)).entry().labels().get("level")).isEqualTo("warning");
    }

    @Test
    void readingOnlyTheFieldsRelabellingReadsGivesTheSameEntries() throws Exception {
        Relabeler rules = new Relabeler(List.of(UNIT, LEVEL));
        assertThat(rules.labelsRead()).contains(java.util.Set.of("__journal__systemd_unit", "__journal_priority_keyword"));
        List<JournalEntryFactory.Result> all = readAll(new JournalEntryFactory("k", false, Map.of("job", "j"), rules::apply));
        List<JournalEntryFactory.Result> few = readAll(new JournalEntryFactory("k", false, Map.of("job", "j"), rules::apply,
                rules.labelsRead()));
        assertThat(few).isEqualTo(all);
        RelabelRule map = RelabelRule.of(List.of(), ";", "__journal_(.*)", 0, "", "j_$1", RelabelAction.LABELMAP);
        assertThat(new Relabeler(List.of(UNIT, map)).labelsRead()).isEmpty();
    }

    @Test
    void everyFieldIsAnInternalLabelBeforeRelabelling() throws Exception {
        List<Labels> seen = new ArrayList<>();
        readAll(new JournalEntryFactory("k", false, Map.of(), l -> {
            seen.add(l);
            return Optional.of(l);
        }));
        assertThat(seen.get(0).asMap()).containsEntry("__journal__systemd_unit", "ssh.service")
                .containsEntry("__journal_syslog_identifier", "sshd").containsEntry("__journal__hostname", "h1")
                .containsEntry("__journal__boot_id", ExportJournal.BOOT_ID).containsEntry("__journal_priority", "6")
                .containsEntry("__journal_priority_keyword", "info").containsEntry("__journal_message", "sshd started");
    }

    @Test
    void noLabelsLeftDropsTheEntryAsPromtail() throws Exception {
        List<JournalEntryFactory.Result> r = readAll(new JournalEntryFactory("k", false, Map.of(), Optional::of));
        assertThat(r.get(0)).isInstanceOf(JournalEntryFactory.Skipped.class);
        assertThat(((JournalEntryFactory.Skipped) r.get(0)).reason()).isEqualTo("empty_labels");
        RelabelRule dropCron = RelabelRule.of(List.of("__journal__systemd_unit"), ";", "cron.*", 0, "", "$1", RelabelAction.DROP);
        List<JournalEntryFactory.Result> d = readAll(new JournalEntryFactory("k", false, Map.of("job", "j"),
                new Relabeler(List.of(dropCron))::apply));
        assertThat(d.get(0)).isInstanceOf(JournalEntryFactory.Made.class);
        assertThat(d.get(2)).isInstanceOf(JournalEntryFactory.Skipped.class);
    }

    @Test
    void jsonLineIsAllFieldsSortedWithGosEscaping() throws Exception {
        List<JournalEntryFactory.Result> r = readAll(new JournalEntryFactory("k", true, Map.of("job", "j"), Optional::of));
        String line = ((JournalEntryFactory.Made) r.get(2)).entry().line();
        assertThat(line).isEqualTo("{\"MESSAGE\":\"\\u003cb\\u003e\\\"quoted\\\"\\u003c/b\\u003e\\ttab \\u0026 more\","
                + "\"PRIORITY\":\"4\",\"_BOOT_ID\":\"" + ExportJournal.BOOT_ID + "\",\"_SYSTEMD_UNIT\":\"cron.service\"}");
        // json: an entry without MESSAGE is still sent
        assertThat(r.get(1)).isInstanceOf(JournalEntryFactory.Made.class);
    }
}

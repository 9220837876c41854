package tailflow.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.config.JournalConfig;
import tailflow.agent.relabel.RelabelAction;
import tailflow.agent.relabel.RelabelRule;
import tailflow.agent.relabel.Relabeler;

class JournalDryRunTest {
    static final long T0 = 1_700_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void showsFilesStartAndRelabelledSample() throws Exception {
        new ExportJournal().addMany(T0, 8, "m").writeTo(dir.resolve("system.journal"));
        JournalConfig cfg = new JournalConfig(Duration.ofHours(1), false, Optional.of(dir),
                List.of(new JournalConfig.Match("_SYSTEMD_UNIT", "unit1.service")), Map.of("job", "systemd-journal"));
        Relabeler unit = new Relabeler(List.of(RelabelRule.of(List.of("__journal__systemd_unit"), ";", "(.*)", 0, "unit",
                "$1", RelabelAction.REPLACE)));
        Map<String, Object> r = new JournalDryRun(JournalAccess.ofThisProcess(), T0 + 3_600_000_000L)
                .report("journal", cfg, Optional.empty(), unit);
        assertThat(r.get("status")).isEqualTo("ok");
        assertThat(r.get("position_key")).isEqualTo("cursor-journal");
        assertThat(r.get("files")).isEqualTo(Map.of(dir.toString(), Map.of(dir.resolve("system.journal").toString(), "readable")));
        assertThat((String) r.get("start")).startsWith("no saved cursor: from max_age before now, 2023-11-14T22:13:20Z");
        assertThat(r.get("recent_entries")).asList().hasSize(4).last().isEqualTo(
                Map.of("labels", Map.of("job", "systemd-journal", "unit", "unit1.service"), "line", "m 7"));
    }

    @Test
    void missingDirectoriesAreSaid() throws Exception {
        Map<String, Object> files = new JournalAccess(Set.of(0)).report(List.of(dir.resolve("none"), dir));
        assertThat(files).containsEntry(dir.resolve("none").toString(), "missing (journald keeps nothing here)")
                .containsEntry(dir.toString(), "no journal files");
        Files.createDirectory(dir.resolve("m"));
        assertThat(new JournalAccess(Set.of(0)).unreadable(List.of(dir))).isEmpty();
    }
}

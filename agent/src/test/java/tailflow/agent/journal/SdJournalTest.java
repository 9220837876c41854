package tailflow.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JNA binding against real journal files written by systemd-journal-remote. */
class SdJournalTest {
    static final long T0 = 1_700_000_000_000_000L;

    @TempDir
    static Path dir;
    static Path file;

    @BeforeAll
    static void writeJournal() throws Exception {
        assertThat(Libsystemd.probe()).as("libsystemd here").isEmpty();
        ExportJournal j = new ExportJournal().addMany(T0, 10, "hello");
        j.add(T0 + 20_000, Map.of("MESSAGE", "two\nlines", "PRIORITY", "3", "_SYSTEMD_UNIT", "multi.service",
                "CODE_FILE", "ünïcode.c"));
        file = j.writeTo(dir.resolve("system.journal"));
    }

    private static Map<String, String> fields(SdJournal j) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        j.fields((buf, len) -> {
            String s = new String(buf, 0, len, StandardCharsets.UTF_8);
            int eq = s.indexOf('=');
            m.put(s.substring(0, eq), s.substring(eq + 1));
        });
        return m;
    }

    @Test
    void readsEveryEntryWithFieldsTimestampsAndCursors() throws Exception {
        List<String> cursors = new ArrayList<>();
        try (SdJournal j = SdJournal.openDirectory(dir)) {
            j.seekHead();
            int n = 0;
            while (j.next()) {
                Map<String, String> f = fields(j);
                if (n < 10) {
                    assertThat(f).containsEntry("MESSAGE", "hello " + n).containsEntry("_SYSTEMD_UNIT", "unit" + (n % 2) + ".service")
                            .containsEntry("_BOOT_ID", ExportJournal.BOOT_ID);
                    assertThat(j.realtimeMicros()).isEqualTo(T0 + n * 1_000L);
                } else {
                    assertThat(f).containsEntry("MESSAGE", "two\nlines").containsEntry("CODE_FILE", "ünïcode.c");
                }
                String c = j.cursor();
                assertThat(c).startsWith("s=").contains(";b=" + ExportJournal.BOOT_ID);
                assertThat(j.testCursor(c)).isTrue();
                cursors.add(c);
                n++;
            }
            assertThat(n).isEqualTo(11);
            assertThat(j.testCursor(cursors.get(0))).isFalse();
        }
        try (SdJournal j = SdJournal.openFiles(List.of(file))) {
            j.seekCursor(cursors.get(4));
            assertThat(j.next()).isTrue();
            assertThat(j.testCursor(cursors.get(4))).isTrue();
            assertThat(fields(j)).containsEntry("MESSAGE", "hello 4");
            assertThat(j.next()).isTrue();
            assertThat(j.cursor()).isEqualTo(cursors.get(5));
        }
    }

    @Test
    void seekRealtimeFindsTheFirstEntryAtOrAfter() throws Exception {
        try (SdJournal j = SdJournal.openDirectory(dir)) {
            j.seekRealtime(T0 + 6_500);
            assertThat(j.next()).isTrue();
            assertThat(j.realtimeMicros()).isEqualTo(T0 + 7_000);
            j.seekRealtime(T0 + 7_000);
            assertThat(j.next()).isTrue();
            assertThat(j.realtimeMicros()).isEqualTo(T0 + 7_000);
            j.seekTail();
            assertThat(j.previous()).isTrue();
            assertThat(fields(j)).containsEntry("MESSAGE", "two\nlines");
            assertThat(j.next()).isFalse();
        }
    }

    @Test
    void matchesOrWithinAFieldAndAcrossFields() throws Exception {
        try (SdJournal j = SdJournal.openDirectory(dir)) {
            j.addMatch("_SYSTEMD_UNIT=unit1.service");
            j.addMatch("_SYSTEMD_UNIT=multi.service");
            j.addMatch("PRIORITY=3");
            j.seekHead();
            List<String> got = new ArrayList<>();
            while (j.next()) {
                got.add(fields(j).get("MESSAGE"));
            }
            assertThat(got).containsExactly("hello 3", "two\nlines");
        }
    }

    @Test
    void aMissingDirectoryIsAnErrorNamingIt() {
        assertThatThrownBy(() -> SdJournal.openFiles(List.of(dir.resolve("nope.journal"))))
                .isInstanceOf(JournalException.class).hasMessageContaining("nope.journal").hasMessageContaining("ENOENT");
    }

    @Test
    void waitTimesOutWithoutChanges() throws Exception {
        try (SdJournal j = SdJournal.openDirectory(dir)) {
            j.seekTail();
            j.previous();
            assertThat(j.next()).isFalse();
            assertThat(j.await(1_000)).isIn(SdJournal.Change.NONE, SdJournal.Change.INVALIDATED);
        }
    }
}

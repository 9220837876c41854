package tailflow.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where reading starts: no cursor, a live cursor, a too old one, a vacuumed one (real journal files). */
class JournalStartTest {
    static final long T0 = 1_700_000_000_000_000L;
    static final long HOUR = 3_600_000_000L;

    @TempDir
    static Path tmp;
    static Path full;
    static Path vacuumed;
    static String cursorOf5;

    @BeforeAll
    static void journals() throws Exception {
        full = Files.createDirectory(tmp.resolve("full"));
        new ExportJournal().addMany(T0, 10, "m").writeTo(full.resolve("system.journal"));
        vacuumed = Files.createDirectory(tmp.resolve("vacuumed"));
        ExportJournal later = new ExportJournal();
        for (int i = 8; i < 12; i++) {
            later.add(T0 + i * 1_000L, java.util.Map.of("MESSAGE", "m " + i));
        }
        later.writeTo(vacuumed.resolve("system.journal"));
        try (SdJournal j = SdJournal.openDirectory(full)) {
            j.seekRealtime(T0 + 5_000);
            j.next();
            cursorOf5 = j.cursor();
        }
    }

    private static String nextMessage(SdJournal j) throws Exception {
        assertThat(j.next()).isTrue();
        String[] m = new String[1];
        j.fields((b, n) -> {
            String s = new String(b, 0, n, StandardCharsets.UTF_8);
            if (s.startsWith("MESSAGE=")) {
                m[0] = s.substring(8);
            }
        });
        return m[0];
    }

    @Test
    void withoutCursorStartsMaxAgeBeforeNow() throws Exception {
        try (SdJournal j = SdJournal.openDirectory(full)) {
            JournalStart s = JournalStart.seek(j, Optional.empty(), T0 + 3_500 + HOUR, HOUR);
            assertThat(s.kind()).isEqualTo(JournalStart.Kind.MAX_AGE);
            assertThat(nextMessage(j)).isEqualTo("m 4");
        }
    }

    @Test
    void liveCursorContinuesRightAfterIt() throws Exception {
        try (SdJournal j = SdJournal.openDirectory(full)) {
            JournalStart s = JournalStart.seek(j, Optional.of(cursorOf5), T0 + HOUR, 7 * HOUR);
            assertThat(s.kind()).isEqualTo(JournalStart.Kind.AFTER_CURSOR);
            assertThat(s.fromMicros()).isEqualTo(T0 + 5_000);
            assertThat(nextMessage(j)).isEqualTo("m 6");
        }
    }

    @Test
    void cursorOlderThanMaxAgeStartsAtMaxAge() throws Exception {
        try (SdJournal j = SdJournal.openDirectory(full)) {
            JournalStart s = JournalStart.seek(j, Optional.of(cursorOf5), T0 + 7_500 + HOUR, HOUR);
            assertThat(s.kind()).isEqualTo(JournalStart.Kind.CURSOR_TOO_OLD);
            assertThat(nextMessage(j)).isEqualTo("m 8");
        }
    }

    @Test
    void vacuumedCursorResumesAtItsTimestamp() throws Exception {
        try (SdJournal j = SdJournal.openDirectory(vacuumed)) {
            JournalStart s = JournalStart.seek(j, Optional.of(cursorOf5), T0 + HOUR, 7 * HOUR);
            assertThat(s.kind()).isEqualTo(JournalStart.Kind.CURSOR_GONE);
            assertThat(s.fromMicros()).isEqualTo(T0 + 5_000);
            assertThat(s.describe()).contains("no longer in the journal");
            assertThat(nextMessage(j)).isEqualTo("m 8");
        }
    }

    @Test
    void malformedCursorCountsAsGone() throws Exception {
        try (SdJournal j = SdJournal.openDirectory(full)) {
            JournalStart s = JournalStart.seek(j, Optional.of("garbage"), T0 + 1_500 + HOUR, HOUR);
            assertThat(s.kind()).isEqualTo(JournalStart.Kind.CURSOR_GONE);
            assertThat(nextMessage(j)).isEqualTo("m 2");
        }
    }

    @Test
    void cursorRealtimeIsTheHexTField() {
        assertThat(JournalStart.cursorRealtime("s=f6;i=1;b=01;m=3e8;t=60a24181e4000;x=33")).contains(1_700_000_000_000_000L);
        assertThat(JournalStart.cursorRealtime("nonsense")).isEmpty();
    }
}

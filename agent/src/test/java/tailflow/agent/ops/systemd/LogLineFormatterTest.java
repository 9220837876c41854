package tailflow.agent.ops.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LogLineFormatterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:03:04.567Z"), ZoneOffset.UTC);

    private static LogRecord record(Level level, String message) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("tailflow.agent.logs.Tailer");
        return r;
    }

    @Test
    void journalLinesCarryThePriorityAndNoTimestamp() {
        LogLineFormatter f = LogLineFormatter.journal();
        assertThat(f.format(record(Level.SEVERE, "a"))).isEqualTo("<3>Tailer: a\n");
        assertThat(f.format(record(Level.WARNING, "b"))).isEqualTo("<4>Tailer: b\n");
        assertThat(f.format(record(JournalLevel.NOTICE, "c"))).isEqualTo("<5>Tailer: c\n");
        assertThat(f.format(record(Level.INFO, "d"))).isEqualTo("<6>Tailer: d\n");
        assertThat(f.format(record(Level.CONFIG, "e"))).isEqualTo("<7>Tailer: e\n");
        assertThat(f.format(record(Level.FINEST, "f"))).isEqualTo("<7>Tailer: f\n");
    }

    @Test
    void readableLinesCarryTimeAndLevelName() {
        LogLineFormatter f = LogLineFormatter.readable(CLOCK);
        assertThat(f.format(record(Level.WARNING, "disk full")))
                .isEqualTo("2026-11-25T12:03:04.567Z WARN   Tailer: disk full\n");
        assertThat(f.format(record(JournalLevel.NOTICE, "started")))
                .isEqualTo("2026-11-25T12:03:04.567Z NOTICE Tailer: started\n");
    }

    @Test
    void everyEventIsOneLine() {
        LogLineFormatter f = LogLineFormatter.journal();
        assertThat(f.format(record(Level.INFO, "one\ntwo\r\nthree"))).isEqualTo("<6>Tailer: one\\ntwo\\nthree\n");

        LogRecord r = record(Level.SEVERE, "push failed");
        r.setThrown(new IllegalStateException("outer", new IOException("inner\nline")));
        String line = f.format(r);
        assertThat(line).startsWith("<3>Tailer: push failed | java.lang.IllegalStateException: outer | at ");
        assertThat(line).contains(" | caused by: java.io.IOException: inner\\nline | at ");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    }

    @Test
    void parametersAreFormatted() {
        LogRecord r = record(Level.INFO, "tailing {0} files");
        r.setParameters(new Object[] {10});
        assertThat(LogLineFormatter.journal().format(r)).isEqualTo("<6>Tailer: tailing 10 files\n");
    }
}

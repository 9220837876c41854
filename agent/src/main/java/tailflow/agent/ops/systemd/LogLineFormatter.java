package tailflow.agent.ops.systemd;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One log event per line, always: newlines inside messages become a visible {@code \n}, and a
 * stack trace is folded into the same line ({@code | at ...}). Two forms:
 * <ul>
 *   <li>journal: {@code <4>tailer: message} — the {@code <N>} prefix is the syslog priority journald
 *       reads from a service's stdout/stderr; no timestamp (the journal stamps each line itself);</li>
 *   <li>readable: {@code 2026-11-25T12:00:00.123Z WARN   tailer: message} for a terminal or a file.</li>
 * </ul>
 */
public final class LogLineFormatter extends Formatter {
    private static final int MAX_FRAMES = 12;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final boolean journal;
    private final Clock clock;

    private LogLineFormatter(boolean journal, Clock clock) {
        this.journal = journal;
        this.clock = clock;
    }

    public static LogLineFormatter journal() {
        return new LogLineFormatter(true, Clock.systemUTC());
    }

    /** @param clock stamps each line (the record's own instant is ignored, so tests control it) */
    public static LogLineFormatter readable(Clock clock) {
        return new LogLineFormatter(false, clock);
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128);
        if (journal) {
            line.append('<').append(JournalLevel.priority(record.getLevel())).append('>');
        } else {
            line.append(TIME.format(Instant.now(clock))).append(' ');
            String name = levelName(JournalLevel.priority(record.getLevel()));
            line.append(name).append(" ".repeat(7 - name.length()));
        }
        line.append(shortName(record.getLoggerName())).append(": ");
        line.append(escape(formatMessage(record)));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            appendThrowable(line, thrown);
        }
        return line.append('\n').toString();
    }

    private static String levelName(int priority) {
        return switch (priority) {
            case 3 -> "ERROR";
            case 4 -> "WARN";
            case 5 -> "NOTICE";
            case 6 -> "INFO";
            default -> "DEBUG";
        };
    }

    /** {@code tailflow.agent.logs.Tailer} -> {@code Tailer}: the class says enough on one line. */
    private static String shortName(String loggerName) {
        if (loggerName == null || loggerName.isEmpty()) {
            return "agent";
        }
        return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }

    private static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
    }

    private static void appendThrowable(StringBuilder line, Throwable thrown) {
        String prefix = " | ";
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            line.append(prefix).append(escape(t.toString()));
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
                line.append(" | at ").append(frames[i]);
            }
            if (frames.length > MAX_FRAMES) {
                line.append(" | ... ").append(frames.length - MAX_FRAMES).append(" more");
            }
            prefix = " | caused by: ";
        }
    }
}

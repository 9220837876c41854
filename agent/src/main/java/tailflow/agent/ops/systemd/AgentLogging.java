package tailflow.agent.ops.systemd;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends the agent's own java.util.logging output to stderr, one event per line: journald form
 * under systemd, readable form otherwise ({@link LogLineFormatter}).
 */
public final class AgentLogging {
    public static final String ENV_JOURNAL_STREAM = "JOURNAL_STREAM";
    /** Loggers whose INFO lines say nothing an operator needs ("Pcap4J successfully loaded ..."). */
    static final String QUIET_LIBRARIES = "org.pcap4j";

    private AgentLogging() {}

    /**
     * Replaces the root logger's handlers with one writing to {@code out}.
     *
     * @param fd2Link the link naming the process's stderr ({@code /proc/self/fd/2}), see {@link #underJournal}
     */
    public static void install(Map<String, String> env, Path fd2Link, Clock clock, PrintStream out, Level level) {
        LogLineFormatter formatter = underJournal(env, fd2Link)
                ? LogLineFormatter.journal()
                : LogLineFormatter.readable(clock);
        // The LogManager keeps levels set through its configuration (a Logger object may be
        // collected and forget a level set on it): the root level, and pcap4j's INFO chatter off.
        String levels = ".level=" + level.getName() + "\n" + QUIET_LIBRARIES + ".level=WARNING\n";
        try {
            LogManager.getLogManager().readConfiguration(
                    new ByteArrayInputStream(levels.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Logger.getLogger("").addHandler(new LineHandler(out, formatter));
    }

    /**
     * True when stderr is the journal stream systemd connected: {@code JOURNAL_STREAM=dev:inode} is
     * set and stderr is that socket. When stderr was redirected elsewhere (the variable inherited
     * by a child run from a shell), it is not. Where /proc cannot tell, the variable alone decides.
     */
    static boolean underJournal(Map<String, String> env, Path fd2Link) {
        String stream = env.get(ENV_JOURNAL_STREAM);
        if (stream == null || stream.isBlank()) {
            return false;
        }
        int colon = stream.indexOf(':');
        String inode = colon < 0 ? "" : stream.substring(colon + 1).strip();
        String target;
        try {
            target = Files.readSymbolicLink(fd2Link).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true;
        }
        return target.equals("socket:[" + inode + "]");
    }

    /** Writes each formatted record with one print and flushes, so lines never interleave. */
    private static final class LineHandler extends Handler {
        private final PrintStream out;

        LineHandler(PrintStream out, LogLineFormatter formatter) {
            this.out = out;
            setFormatter(formatter);
            setLevel(Level.ALL);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String line = getFormatter().format(record);
            synchronized (out) {
                out.print(line);
                out.flush();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}

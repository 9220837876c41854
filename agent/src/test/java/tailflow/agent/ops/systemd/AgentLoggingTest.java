package tailflow.agent.ops.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLoggingTest {
    @TempDir Path dir;

    @AfterEach
    void restoreLogging() throws IOException {
        LogManager.getLogManager().readConfiguration();
    }

    private Path fd2(String target) throws IOException {
        return Files.createSymbolicLink(dir.resolve("2"), Path.of(target));
    }

    @Test
    void journalFormOnlyWhenStderrIsTheJournalStream() throws IOException {
        Path link = fd2("socket:[4711]");
        assertThat(AgentLogging.underJournal(Map.of("JOURNAL_STREAM", "8:4711"), link)).isTrue();
        assertThat(AgentLogging.underJournal(Map.of("JOURNAL_STREAM", "8:999"), link)).isFalse();
        assertThat(AgentLogging.underJournal(Map.of(), link)).isFalse();
        assertThat(AgentLogging.underJournal(Map.of("JOURNAL_STREAM", "8:4711"), dir.resolve("missing"))).isTrue();
    }

    @Test
    void installedHandlerWritesOneLinePerEvent() throws IOException {
        Path link = fd2("socket:[4711]");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        AgentLogging.install(Map.of("JOURNAL_STREAM", "8:4711"), link, Clock.systemUTC(), out, Level.INFO);
        Logger log = Logger.getLogger("tailflow.agent.Thing");
        log.warning("careful");
        log.fine("hidden at INFO");
        log.log(JournalLevel.NOTICE, "started");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("<4>Thing: careful\n<5>Thing: started\n");

        bytes.reset();
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
        AgentLogging.install(Map.of(), link, clock, out, Level.INFO);
        log.info("hello");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("2026-11-25T12:00:00.000Z INFO   Thing: hello\n");
    }

    @Test
    void librariesLoggingThroughSlf4jComeOutAsOneLineToo() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        AgentLogging.install(Map.of("JOURNAL_STREAM", "8:4711"), fd2("socket:[4711]"), Clock.systemUTC(), out, Level.INFO);
        org.slf4j.LoggerFactory.getLogger("org.pcap4j.core.Pcaps").warn("no such device: {}", "eth9");
        org.slf4j.LoggerFactory.getLogger("org.pcap4j.core.NativeMappings").info("successfully loaded");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("<4>Pcaps: no such device: eth9\n");
    }
}

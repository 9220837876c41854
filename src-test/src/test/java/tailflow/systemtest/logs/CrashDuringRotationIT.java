package tailflow.systemtest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.FreePort;

/**
 * The scenario of issue 10, as a new user tried it: 20,000 numbered lines to {@code app.log}
 * (glob {@code *log}), a rename rotation every 4,000 lines into {@code app.log.<N>} (a name the
 * glob does not match), one copytruncate into {@code app.log.ct}, and two {@code kill -9}: the
 * first before the agent's first push was acknowledged (Loki hangs until then), the second after
 * the copytruncate. Before the fix, 8,001 lines never arrived and 2,123 arrived twice.
 */
class CrashDuringRotationIT {

    private static final int LINES = 20_000;
    private static final int RATE = 1_000;

    @TempDir
    Path dir;

    @Test
    void twentyThousandLinesEachOnceThroughRenamesACopytruncateAndTwoKills() throws Exception {
        Path logs = dir.resolve("logs");
        Path app = logs.resolve("app.log");
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int port = FreePort.pick();
            Path config = TestLogDir.writeConfig(dir, loki.pushUrl(), port, logs + "/*log", null, null);
            Files.createFile(app);
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile(getClass().getSimpleName()), port)) {
                loki.mode(LokiReceiver.Mode.HANG);
                agent.start();
                agent.awaitReady(Duration.ofSeconds(30));
                NumberedWriter writer = new NumberedWriter(app, LINES, RATE, 0);
                Thread writerThread = new Thread(writer, "numbered-writer");
                writerThread.start();
                try {
                    rename(agent, writer, app, 4_000);
                    rename(agent, writer, app, 8_000);
                    agent.await(Duration.ofSeconds(60), "the agent read lines", () -> agent.metricSum("tailflow_read_lines_total") > 0);
                    assertThat(loki.storedCount()).as("nothing acknowledged before the first kill").isZero();
                    agent.kill9();
                    agent.start();
                    agent.awaitReady(Duration.ofSeconds(60));
                    loki.mode(LokiReceiver.Mode.OK);
                    awaitWritten(agent, writer, 10_000);
                    writer.between(() -> {
                        Files.copy(app, logs.resolve("app.log.ct"));
                        try (FileChannel ch = FileChannel.open(app, StandardOpenOption.WRITE)) {
                            ch.truncate(0);
                        }
                    });
                    rename(agent, writer, app, 12_000);
                    awaitWritten(agent, writer, 14_000);
                    agent.await(Duration.ofSeconds(60), "lines acknowledged", () -> loki.storedCount() > 0);
                    agent.kill9();
                    agent.start();
                    agent.awaitReady(Duration.ofSeconds(60));
                    rename(agent, writer, app, 16_000);
                    writerThread.join(60_000);
                } finally {
                    loki.mode(LokiReceiver.Mode.OK);
                    writerThread.interrupt();
                }
                assertThat(writer.failure()).isNull();
                try (var files = Files.list(logs)) {
                    for (Path f : files.sorted().toList()) {
                        List<String> content = Files.readAllLines(f);
                        System.out.println("CrashDuringRotationIT " + f.getFileName() + ": " + content.size() + " lines"
                                + (content.isEmpty() ? "" : ", " + NumberedWriter.seqOf(content.get(0)) + ".."
                                + NumberedWriter.seqOf(content.get(content.size() - 1))));
                    }
                }
                try {
                    agent.await(Duration.ofSeconds(60), "all " + LINES + " lines stored",
                            () -> loki.storedCount() >= LINES);
                } finally {
                    System.out.println("CrashDuringRotationIT receiver: " + loki.stats());
                    ExactlyOnce.report(loki, LINES);
                }
                assertThat(agent.terminate(Duration.ofSeconds(30))).isZero();
                ExactlyOnce.assertEveryNumberOnce(loki, LINES, app);
            }
        }
    }

    private static void awaitWritten(AgentProcess agent, NumberedWriter writer, int n) throws InterruptedException {
        agent.await(Duration.ofSeconds(60), "writer at line " + n, () -> writer.written() >= n);
    }

    /** Once the writer is at line {@code n}: app.log -> app.log.n, a new app.log, the writer reopens. */
    private static void rename(AgentProcess agent, NumberedWriter writer, Path app, int n) throws Exception {
        awaitWritten(agent, writer, n);
        Files.move(app, app.resolveSibling("app.log." + n));
        Files.createFile(app);
        writer.reopen();
    }
}

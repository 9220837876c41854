package tailflow.systemtest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.FreePort;

/**
 * Rotation the way it happens on hosts: Debian's {@code logrotate} run for real ({@code -f})
 * against the test directory while a writer appends at a high rate and the agent runs.
 */
class LogrotateIT {

    private static final int LINES = 60_000;
    private static final int RATE = 20_000;

    @TempDir
    Path dir;

    private static void logrotate(Path conf, Path state) throws Exception {
        Process p = new ProcessBuilder("logrotate", "-f", "-s", state.toString(), conf.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("logrotate: %s", out).isZero();
    }

    /** Runs the writer and three forced rotations; returns the receiver's numbers per count. */
    private int[] run(String mode, int reopenEvery, LokiReceiver loki) throws Exception {
        int port = FreePort.pick();
        Path logs = dir.resolve("logs");
        Path app = logs.resolve("app.log");
        Path config = TestLogDir.writeConfig(dir, loki.pushUrl(), port, logs + "/*.log", null, null);
        Files.createFile(app);
        Path conf = dir.resolve("logrotate.conf");
        Files.writeString(conf, app + " {\n    rotate 10\n    " + mode + "\n    missingok\n    nomail\n}\n");
        Path state = dir.resolve("logrotate.state");
        try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile("LogrotateIT-" + mode.split("\\s")[0]), port)) {
            agent.start();
            agent.awaitReady(Duration.ofSeconds(30));
            NumberedWriter writer = new NumberedWriter(app, LINES, RATE, reopenEvery);
            Thread t = new Thread(writer, "writer");
            t.start();
            try {
                for (int i = 1; i <= 3; i++) {
                    int due = LINES * i / 4;
                    agent.await(Duration.ofSeconds(30), "writer at line " + due, () -> writer.written() >= due);
                    logrotate(conf, state);
                }
                t.join(60_000);
            } finally {
                t.interrupt();
            }
            assertThat(writer.failure()).isNull();
            List<Path> files;
            try (var s = Files.list(logs)) {
                files = s.sorted().toList();
            }
            System.out.println("LogrotateIT " + mode + ": files " + files.stream().map(p -> p.getFileName().toString()).toList());
            // Every line some file still holds (the live file, rotations, copies, compressed ones)
            // must arrive: wait for exactly that, then for the agent to have nothing left to read.
            Set<Integer> onDisk = numbersOnDisk(logs);
            agent.await(Duration.ofSeconds(90), "every line on disk stored (" + onDisk.size() + " numbers; " + loki.stats() + ")",
                    () -> storedNumbers(loki).containsAll(onDisk));
            agent.await(Duration.ofSeconds(60), "agent idle", () -> {
                try {
                    String m = agent.get("/metrics").body();
                    return !m.contains("tailflow_positions_lag_bytes{") || m.lines()
                            .filter(l -> l.startsWith("tailflow_positions_lag_bytes{")).allMatch(l -> l.endsWith(" 0"));
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(agent.terminate(Duration.ofSeconds(30))).isZero();
            int[] seen = new int[LINES + 1];
            for (LokiReceiver.Entry e : loki.entries()) {
                assertThat(LokiReceiverAccess.labels(e).get("filename")).isEqualTo(app.toString());
                seen[NumberedWriter.seqOf(e.line())]++;
            }
            return seen;
        }
    }

    /** The numbers of every line in the directory's files, compressed rotations included. */
    static Set<Integer> numbersOnDisk(Path logs) throws IOException {
        Set<Integer> out = new HashSet<>();
        try (var s = Files.list(logs)) {
            for (Path f : s.toList()) {
                try (InputStream raw = Files.newInputStream(f);
                        InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                        int n = NumberedWriter.seqOf(line);
                        if (n > 0) {
                            out.add(n);
                        }
                    }
                }
            }
        }
        return out;
    }

    static Set<Integer> storedNumbers(LokiReceiver loki) {
        Set<Integer> out = new HashSet<>();
        for (LokiReceiver.Entry e : loki.entries()) {
            out.add(NumberedWriter.seqOf(e.line()));
        }
        return out;
    }

    @Test
    void createModeWithDelayedCompressionShipsEveryLineOnceAndNeverTheGz() throws Exception {
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int[] seen = run("create\n    compress\n    delaycompress", 50, loki);
            List<Integer> missing = new ArrayList<>();
            for (int i = 1; i <= LINES; i++) {
                assertThat(seen[i]).as("times number %d was stored", i).isLessThanOrEqualTo(1);
                if (seen[i] == 0) {
                    missing.add(i);
                }
            }
            assertThat(missing).as("missing numbers").isEmpty();
            try (var s = Files.list(dir.resolve("logs"))) {
                assertThat(s.map(p -> p.getFileName().toString())).contains("app.log.2.gz");
            }
        }
    }

    @Test
    void copytruncateShipsNothingTwiceAndEverythingLeftInTheFile() throws Exception {
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int[] seen = run("copytruncate", 0, loki);
            int missing = 0;
            for (int i = 1; i <= LINES; i++) {
                assertThat(seen[i]).as("times number %d was stored", i).isLessThanOrEqualTo(1);
                missing += seen[i] == 0 ? 1 : 0;
            }
            // Lines still in the live file were all shipped; lines that only exist in a copy
            // (written between the agent's last read and the truncation) are copytruncate's loss.
            for (String line : Files.readAllLines(dir.resolve("logs/app.log"))) {
                assertThat(seen[NumberedWriter.seqOf(line)]).as(line).isEqualTo(1);
            }
            // Every line a copy holds arrives (the copy is drained from where reading stopped); only
            // lines in no file at all (written between logrotate's copy and its truncate) may be missing.
            List<Integer> missingButInACopy = new ArrayList<>();
            try (var s = Files.list(dir.resolve("logs"))) {
                for (Path copy : s.filter(p -> p.getFileName().toString().matches("app\\.log\\.\\d+")).toList()) {
                    for (String line : Files.readAllLines(copy)) {
                        int n = NumberedWriter.seqOf(line);
                        if (n > 0 && n <= LINES && seen[n] == 0) {
                            missingButInACopy.add(n);
                        }
                    }
                }
            }
            System.out.println("LogrotateIT copytruncate: " + missing + " of " + LINES
                    + " lines missing (written between logrotate's copy and its truncate), " + missingButInACopy.size()
                    + " of them in a copy");
            assertThat(missingButInACopy).as("lines a copy holds that never arrived").isEmpty();
        }
    }
}

package tailflow.systemtest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.FreePort;

/**
 * Promtail's client limits through the packaged agent: {@code max_line_size} checked on the line
 * as sent, after the stages (dropped as {@code line_too_long}, or cut with
 * {@code max_line_size_truncate}), and {@code max_streams} per batch (further streams' entries
 * dropped as {@code stream_limited}); the positions move past dropped lines.
 */
class ClientLimitsIT {

    @TempDir
    Path dir;

    private String run(String limits, String stages, String lines, int expected, String... awaitedMetrics) throws Exception {
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int port = FreePort.pick();
            Path logs = Files.createDirectories(dir.resolve("logs"));
            Path log = logs.resolve("app.log");
            Files.writeString(log, lines);
            Path config = TestLogDir.writeConfig(dir, loki.pushUrl(), port, logs + "/*.log", null, limits.indent(2));
            Files.writeString(config, Files.readString(config) + "    pipeline_stages:\n" + stages.indent(6));
            StringBuilder got = new StringBuilder();
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile("ClientLimitsIT"), port)) {
                agent.start();
                agent.await(Duration.ofSeconds(30), expected + " entries", () -> loki.storedCount() == expected);
                String host = "127.0.0.1:" + loki.pushUrl().getPort();
                for (String m : awaitedMetrics) {
                    String line = m.replace("HOST", host);
                    agent.await(Duration.ofSeconds(10), line, () -> metrics(agent).contains(line));
                }
                assertThat(agent.terminate(Duration.ofSeconds(30))).isZero();
            }
            loki.entries().forEach(e -> got.append(LokiReceiverAccess.labels(e).getOrDefault("app", "")).append(' ')
                    .append(e.line()).append('\n'));
            assertThat(Files.readString(dir.resolve("positions.yaml")))
                    .contains("\"" + log + "\" : \"" + Files.size(log) + "\"");
            return got.toString();
        }
    }

    private static String metrics(AgentProcess agent) {
        try {
            return agent.get("/metrics").body();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void maxLineSizeDropsLinesLongerAfterTheStages() throws Exception {
        String got = run("max_line_size: 16", """
                - json: {expressions: {msg: msg}}
                - output: {source: msg}
                """, """
                {"msg":"short, from a long line"}
                {"msg":"this message is longer than sixteen bytes"}
                {"msg":"ok"}
                """, 1, "tailflow_dropped_entries_total{host=\"HOST\",reason=\"line_too_long\"} 2");
        // the first line is 36 bytes, its output 23 bytes: over 16, dropped; "ok" is sent
        assertThat(got).isEqualTo(" ok\n");
    }

    @Test
    void maxLineSizeTruncateCutsTheLineAsSent() throws Exception {
        String got = run("max_line_size: 10\nmax_line_size_truncate: true", """
                - regex: {expression: '^(?P<app>\\w+) '}
                - labels: {app: }
                """, """
                web 0123456789abcdef
                db short
                """, 2, "tailflow_mutated_entries_total{reason=\"line_too_long\"} 1",
                "tailflow_mutated_bytes_total{reason=\"line_too_long\"} 10");
        assertThat(got.lines().sorted().toList()).containsExactly("db db short", "web web 012345");
    }

    @Test
    void maxStreamsDropsEntriesOfFurtherStreamsInABatch() throws Exception {
        String got = run("max_streams: 1", """
                - regex: {expression: '^(?P<app>\\w+) '}
                - labels: {app: }
                """, """
                web 1
                db 2
                web 3
                """, 2, "tailflow_dropped_entries_total{host=\"HOST\",reason=\"stream_limited\"} 1");
        assertThat(got).isEqualTo("web web 1\nweb web 3\n");
    }
}

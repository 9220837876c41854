package tailflow.systemtest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.FreePort;

/**
 * The packaged agent runs Promtail's pipeline_stages between its files and the receiver:
 * json+labels+timestamp (+ structured metadata in protobuf and JSON pushes), regex+drop+replace,
 * logfmt+match, and multiline stack traces across a rotation and a kill -9, each entry once.
 */
class StagesIT {

    @TempDir
    Path dir;

    private static Map<String, String> labels(LokiReceiver.Entry e) {
        return LokiReceiverAccess.labels(e);
    }

    private Path config(LokiReceiver loki, int port, String clientExtra, String stages) throws Exception {
        Path config = TestLogDir.writeConfig(dir, loki.pushUrl(), port, dir.resolve("logs") + "/*.log", clientExtra, null);
        Files.writeString(config, Files.readString(config) + "    pipeline_stages:\n" + stages.indent(6));
        return config;
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void jsonLabelsTimestampAndStructuredMetadataInProtobufAndJson() throws Exception {
        for (String encoding : List.of("protobuf", "json")) {
            try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
                int port = FreePort.pick();
                Path logs = Files.createDirectories(dir.resolve("logs"));
                Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
                Files.writeString(logs.resolve("app.log"), """
                        {"time":"%s","level":"info","msg":"started","trace_id":"abc123"}
                        {"time":"%s","level":"error","msg":"failed","trace_id":"def456"}
                        """.formatted(t, t.plusMillis(1)));
                Path config = config(loki, port, "    encoding: " + encoding + "\n", """
                        - json: {expressions: {ts: time, level: level, msg: msg, trace_id: trace_id}}
                        - labels: {level: }
                        - structured_metadata: {trace_id: }
                        - timestamp: {source: ts, format: RFC3339Nano}
                        - output: {source: msg}
                        """);
                try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile("StagesIT-json-" + encoding), port)) {
                    agent.start();
                    agent.await(Duration.ofSeconds(30), "2 entries", () -> loki.storedCount() == 2);
                    assertThat(agent.tail()).doesNotContain("not supported yet");
                    List<LokiReceiver.Entry> entries = loki.entries();
                    assertThat(entries).extracting(LokiReceiver.Entry::line).containsExactlyInAnyOrder("started", "failed");
                    LokiReceiver.Entry started = entries.stream().filter(e -> e.line().equals("started")).findFirst().orElseThrow();
                    assertThat(started.timestampNanos()).isEqualTo(nanos(t));
                    assertThat(labels(started)).containsEntry("level", "info").containsEntry("job", "varlogs")
                            .doesNotContainKey("trace_id");
                    assertThat(started.structuredMetadata()).isEqualTo(Map.of("trace_id", "abc123"));
                    assertThat(agent.terminate(Duration.ofSeconds(30))).isZero();
                }
            }
            deleteTree(dir);
        }
    }

    @Test
    void regexDropReplace() throws Exception {
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int port = FreePort.pick();
            Path logs = Files.createDirectories(dir.resolve("logs"));
            Files.writeString(logs.resolve("web.log"), """
                    10.0.0.1 GET /health 200 user=alice password=hunter2
                    10.0.0.2 POST /login 401 user=bob password=swordfish
                    10.0.0.3 GET /items 200 user=carol password=letmein
                    """);
            Path config = config(loki, port, null, """
                    - regex: {expression: '^(?P<ip>\\S+) (?P<method>\\S+) (?P<path>\\S+) (?P<status>\\d+)'}
                    - drop: {source: path, value: /health, drop_counter_reason: healthcheck}
                    - replace: {expression: 'password=(\\S+)', replace: '****'}
                    - labels: {method: , status: }
                    """);
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile("StagesIT-regex"), port)) {
                agent.start();
                agent.await(Duration.ofSeconds(30), "2 entries", () -> loki.storedCount() == 2);
                agent.await(Duration.ofSeconds(10), "the drop counted", () -> metrics(agent).contains(
                        "tailflow_dropped_entries_total{host=\"127.0.0.1:" + loki.pushUrl().getPort() + "\",reason=\"healthcheck\"} 1"));
                Map<String, LokiReceiver.Entry> byLine = loki.entries().stream().collect(Collectors.toMap(LokiReceiver.Entry::line, e -> e));
                assertThat(byLine).containsOnlyKeys("10.0.0.2 POST /login 401 user=bob password=****",
                        "10.0.0.3 GET /items 200 user=carol password=****");
                assertThat(labels(byLine.get("10.0.0.2 POST /login 401 user=bob password=****")))
                        .containsEntry("method", "POST").containsEntry("status", "401");
                assertThat(agent.terminate(Duration.ofSeconds(30))).isZero();
            }
            // the dropped line's position is done too: the positions file covers the whole file
            assertThat(Files.readString(dir.resolve("positions.yaml")))
                    .contains("\"" + logs.resolve("web.log") + "\" : \"" + Files.size(logs.resolve("web.log")) + "\"");
        }
    }

    @Test
    void logfmtAndMatch() throws Exception {
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int port = FreePort.pick();
            Path logs = Files.createDirectories(dir.resolve("logs"));
            Files.writeString(logs.resolve("svc.log"), """
                    level=debug msg="cache miss" component=cache
                    level=info msg="request served" component=http duration=12ms
                    level=error msg="upstream timeout" component=http
                    """);
            Path config = config(loki, port, null, """
                    - logfmt: {mapping: {level: , component: }}
                    - labels: {level: }
                    - match: {selector: '{level="debug"}', action: drop, drop_counter_reason: debug}
                    - match:
                        selector: '{job="varlogs"} |= "component=http" !~ "timeout"'
                        stages:
                          - static_labels: {kind: served}
                    """);
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile("StagesIT-logfmt"), port)) {
                agent.start();
                agent.await(Duration.ofSeconds(30), "2 entries", () -> loki.storedCount() == 2);
                Map<String, Map<String, String>> byLine = loki.entries().stream()
                        .collect(Collectors.toMap(LokiReceiver.Entry::line, StagesIT::labels));
                assertThat(byLine.get("level=info msg=\"request served\" component=http duration=12ms"))
                        .containsEntry("level", "info").containsEntry("kind", "served");
                assertThat(byLine.get("level=error msg=\"upstream timeout\" component=http"))
                        .containsEntry("level", "error").doesNotContainKey("kind");
                assertThat(agent.terminate(Duration.ofSeconds(30))).isZero();
            }
        }
    }

    @Test
    void multilineStackTracesAcrossRotationAndKill9ArriveOnce() throws Exception {
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int port = FreePort.pick();
            Path logs = Files.createDirectories(dir.resolve("logs"));
            Path app = logs.resolve("app.log");
            Instant base = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
            Path config = config(loki, port, null, """
                    - multiline: {firstline: '^\\d{4}-\\d\\d-\\d\\dT', max_wait_time: 1s}
                    - regex: {expression: '^(?P<ts>\\S+) (?P<level>\\w+)'}
                    - timestamp: {source: ts, format: RFC3339}
                    """);
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile("StagesIT-multiline"), port)) {
                Files.writeString(app, trace(base, 0) + trace(base, 1));
                agent.start();
                agent.await(Duration.ofSeconds(30), "the first trace (the second waits for its end)",
                        () -> loki.storedCount() >= 1);
                // block 2's lines are held (or already sent after max_wait_time); kill -9 either way
                agent.kill9();
                Files.writeString(app, trace(base, 2), StandardOpenOption.APPEND);
                Files.move(app, logs.resolve("app.log.1"));
                Files.writeString(app, trace(base, 3) + trace(base, 4));
                agent.start();
                agent.await(Duration.ofSeconds(30), "5 traces", () -> loki.storedCount() >= 5);
                Files.writeString(app, trace(base, 5), StandardOpenOption.APPEND);
                agent.await(Duration.ofSeconds(30), "6 traces", () -> loki.storedCount() >= 6);
                assertThat(agent.terminate(Duration.ofSeconds(30))).isZero();
            }
            List<LokiReceiver.Entry> entries = loki.entries();
            assertThat(entries).hasSize(6);
            for (int i = 0; i < 6; i++) {
                int n = i;
                assertThat(entries).filteredOn(e -> e.line().equals(trace(base, n).stripTrailing())).singleElement()
                        .satisfies(e -> assertThat(e.timestampNanos()).isEqualTo(nanos(base.plusSeconds(n))));
            }
            System.out.println("StagesIT multiline: receiver " + loki.stats());
        }
    }

    /** A three-line Java stack trace with the first line's timestamp base + n seconds. */
    private static String trace(Instant base, int n) {
        return base.plusSeconds(n) + " ERROR request " + n + " failed\n"
                + "java.lang.IllegalStateException: boom " + n + "\n"
                + "\tat app.Handler.handle(Handler.java:" + (10 + n) + ")\n";
    }

    private static String metrics(AgentProcess agent) {
        try {
            return agent.get("/metrics").body();
        } catch (Exception e) {
            return "";
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(root)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

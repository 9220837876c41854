package tailflow.systemtest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.FreePort;

/** The packaged agent ships /var/log/*log-style files to a Loki-compatible receiver. */
class LogsShippingIT {

    @TempDir
    Path dir;

    private static Map<String, String> labels(LokiReceiver.Entry e) {
        return LokiReceiverAccess.labels(e);
    }

    @Test
    void shipsMatchingFilesWithLabelsTenantAndAuthThenStopsCleanlyOnSigterm() throws Exception {
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int port = FreePort.pick();
            Path logs = dir.resolve("logs");
            Files.createDirectories(logs);
            Files.writeString(logs.resolve("syslog"), "Nov 25 12:00:00 h1 cron[1]: one\nNov 25 12:00:01 h1 cron[1]: two\r\n");
            Files.writeString(logs.resolve("auth.log"), "auth line\n");
            Files.writeString(logs.resolve("debug.txt"), "not matched\n");
            Files.write(logs.resolve("syslog.2.gz"), new byte[] {0x1f, (byte) 0x8b, 0, 0});
            Files.createDirectory(logs.resolve("adir.log"));
            Path config = TestLogDir.writeConfig(dir, loki.pushUrl(), port, logs + "/*log", """
                        tenant_id: team-a
                        basic_auth:
                          username: agent
                          password: s3cret
                    """, null);
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile(getClass().getSimpleName()), port)) {
                agent.start();
                agent.awaitReady(Duration.ofSeconds(30));
                agent.await(Duration.ofSeconds(20), "3 lines", () -> loki.storedCount() == 3);
                Files.writeString(logs.resolve("syslog"), "three ünïcode\n", StandardOpenOption.APPEND);
                Path kern = logs.resolve("kern.log");
                Files.writeString(kern, "new file\n");
                agent.await(Duration.ofSeconds(20), "5 lines", () -> loki.storedCount() == 5);

                List<LokiReceiver.Entry> entries = loki.entries();
                Map<String, List<String>> byFile = entries.stream().collect(Collectors.groupingBy(
                        e -> labels(e).get("filename"), Collectors.mapping(LokiReceiver.Entry::line, Collectors.toList())));
                assertThat(byFile).containsOnlyKeys(logs + "/syslog", logs + "/auth.log", kern.toString());
                assertThat(byFile.get(logs + "/syslog")).containsExactly(
                        "Nov 25 12:00:00 h1 cron[1]: one", "Nov 25 12:00:01 h1 cron[1]: two", "three ünïcode");
                assertThat(labels(entries.get(0))).containsEntry("job", "varlogs").containsEntry("hostname", "testhost")
                        .containsOnlyKeys("job", "hostname", "filename");
                assertThat(loki.requestHeaders()).allSatisfy(h -> {
                    assertThat(h).containsEntry("x-scope-orgid", "team-a");
                    assertThat(h.get("authorization")).isEqualTo("Basic " + java.util.Base64.getEncoder()
                            .encodeToString("agent:s3cret".getBytes(StandardCharsets.UTF_8)));
                    assertThat(h).containsEntry("content-type", "application/x-protobuf");
                });

                String metrics = agent.get("/metrics").body();
                assertThat(metrics).contains("# TYPE tailflow_sent_entries_total counter")
                        .contains("tailflow_sent_entries_total{host=\"127.0.0.1:" + loki.pushUrl().getPort() + "\"} 5")
                        .contains("tailflow_read_lines_total{path=\"" + logs + "/syslog\"} 3")
                        .contains("tailflow_files_active_total 3")
                        .contains("tailflow_request_duration_seconds_bucket")
                        .contains("tailflow_file_errors_total{reason=\"is a directory\"}");
                String cfg = agent.get("/config").body();
                assertThat(cfg).contains("team-a").doesNotContain("s3cret").contains("<secret>");
                assertThat(agent.tail()).contains("adir.log").contains("is a directory");

                assertThat(agent.terminate(Duration.ofSeconds(30))).isEqualTo(0);
            }
            String positions = Files.readString(dir.resolve("positions.yaml"));
            assertThat(positions).contains("\"" + logs + "/syslog\" : \"" + Files.size(logs.resolve("syslog")) + "\"");
        }
    }

    @Test
    void stdoutModePrintsEntriesInsteadOfPushing() throws Exception {
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int port = FreePort.pick();
            Path logs = dir.resolve("logs");
            Files.createDirectories(logs);
            Files.writeString(logs.resolve("app.log"), "hello stdout\n");
            Path config = TestLogDir.writeConfig(dir, loki.pushUrl(), port, logs + "/*.log", null, null);
            Path out = AgentProcess.logFile("LogsShippingIT-stdout");
            try (AgentProcess agent = new AgentProcess(config, out, port, "--stdout")) {
                agent.start();
                agent.await(Duration.ofSeconds(30), "printed entry", () -> agent.tail().contains("hello stdout"));
                assertThat(agent.tail()).containsPattern("\\{filename=\"[^\"]*app.log\", hostname=\"testhost\", job=\"varlogs\"} "
                        + "\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z hello stdout");
                assertThat(loki.pushes()).isZero();
            }
        }
    }
}

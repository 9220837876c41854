package tailflow.systemtest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.FreePort;

/** A host moving from Promtail: the agent resumes where Promtail's positions file says. */
class PromtailMigrationIT {

    @TempDir
    Path dir;

    @Test
    void resumesFromPromtailPositionsAndKeepsThemReadableForPromtail() throws Exception {
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int port = FreePort.pick();
            Path logs = dir.resolve("logs");
            Files.createDirectories(logs);
            String shipped = "old 1 shipped by promtail\nold 2 shipped by promtail\n";
            Files.writeString(logs.resolve("syslog"), shipped + "new 1\nnew 2\n");
            Files.writeString(logs.resolve("auth.log"), "auth new\n");
            // Promtail's own format: offsets as strings; a path Promtail knew that is gone now.
            Files.writeString(dir.resolve("positions.yaml"), "positions:\n  " + logs.resolve("syslog") + ": \""
                    + shipped.length() + "\"\n  /var/log/vanished.log: \"99\"\n");
            Path config = TestLogDir.writeConfig(dir, loki.pushUrl(), port, logs + "/*log", null, null);
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile("PromtailMigrationIT"), port)) {
                agent.start();
                agent.awaitReady(Duration.ofSeconds(30));
                agent.await(Duration.ofSeconds(20), "3 lines", () -> loki.storedCount() >= 3);
                assertThat(agent.terminate(Duration.ofSeconds(30))).isZero();
                assertThat(loki.entries()).extracting(LokiReceiver.Entry::line).containsExactlyInAnyOrder("new 1", "new 2", "auth new");
                assertThat(agent.tail()).contains("from Promtail's positions file");
            }
            String written = Files.readString(dir.resolve("positions.yaml"));
            assertThat(written).contains("tailflow_positions")
                    .contains("\"" + logs.resolve("syslog") + "\" : \"" + Files.size(logs.resolve("syslog")) + "\"");
        }
    }
}

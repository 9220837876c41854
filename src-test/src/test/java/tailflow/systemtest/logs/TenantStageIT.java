package tailflow.systemtest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.systemtest.loki.LokiReceiver;
import tailflow.systemtest.support.FreePort;

/**
 * Promtail's {@code tenant} stage through the packaged agent: each entry is pushed with its own
 * {@code X-Scope-OrgID} (one request per tenant), entries without one go to the client's
 * {@code tenant_id}, the reserved {@code __tenant_id__} label is never sent, and positions still
 * cover every line once all tenants' pushes were acknowledged.
 */
class TenantStageIT {

    @TempDir
    Path dir;

    @Test
    void entriesArePushedAsTheirOwnTenantsAndTheRestAsTheClientsTenant() throws Exception {
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int port = FreePort.pick();
            Path logs = Files.createDirectories(dir.resolve("logs"));
            Path log = logs.resolve("app.log");
            Files.writeString(log, """
                    {"customer":"acme","msg":"a1"}
                    {"customer":"beta","msg":"b1"}
                    {"msg":"own1"}
                    {"customer":"acme","msg":"a2"}
                    {"customer":"beta","msg":"b2"}
                    """);
            Path config = TestLogDir.writeConfig(dir, loki.pushUrl(), port, logs + "/*.log", "    tenant_id: own\n", null);
            Files.writeString(config, Files.readString(config) + "    pipeline_stages:\n" + """
                    - json: {expressions: {customer: customer, msg: msg}}
                    - tenant: {source: customer}
                    - output: {source: msg}
                    """.indent(6));
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile("TenantStageIT"), port)) {
                agent.start();
                agent.await(Duration.ofSeconds(30), "5 entries", () -> loki.storedCount() == 5);
                assertThat(agent.tail()).doesNotContain("not supported yet");
                assertThat(loki.entries("acme")).extracting(LokiReceiver.Entry::line).containsExactly("a1", "a2");
                assertThat(loki.entries("beta")).extracting(LokiReceiver.Entry::line).containsExactly("b1", "b2");
                assertThat(loki.entries("own")).extracting(LokiReceiver.Entry::line).containsExactly("own1");
                assertThat(loki.entries()).allSatisfy(e -> assertThat(e.labels()).doesNotContain("__tenant_id__"));
                List<String> orgIds = loki.requestHeaders().stream().map(h -> h.get("x-scope-orgid")).toList();
                assertThat(orgIds).doesNotContainNull().contains("acme", "beta", "own");
                assertThat(agent.terminate(Duration.ofSeconds(30))).isZero();
            }
            assertThat(Files.readString(dir.resolve("positions.yaml")))
                    .contains("\"" + log + "\" : \"" + Files.size(log) + "\"");
        }
    }

    /**
     * One tenant's pushes fail while the other's succeed: the batch is not acknowledged, so the
     * position stays; after a kill -9 and a restart the whole batch is sent again and every line
     * ends up stored once in its tenant (the succeeded tenant's resend is a duplicate Loki drops).
     */
    @Test
    void aFailingTenantHoldsThePositionAndNothingIsLostOrStoredTwiceAcrossAKill() throws Exception {
        try (LokiReceiver loki = LokiReceiver.start("127.0.0.1", 0)) {
            int port = FreePort.pick();
            Path logs = Files.createDirectories(dir.resolve("logs"));
            Path log = logs.resolve("app.log");
            Files.writeString(log, "{\"customer\":\"acme\",\"msg\":\"a1\"}\n{\"customer\":\"beta\",\"msg\":\"b1\"}\n");
            Path config = TestLogDir.writeConfig(dir, loki.pushUrl(), port, logs + "/*.log", null, null);
            Files.writeString(config, Files.readString(config) + "    pipeline_stages:\n" + """
                    - json: {expressions: {customer: customer, msg: msg}}
                    - tenant: {source: customer}
                    - output: {source: msg}
                    """.indent(6));
            loki.failTenant("beta");
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile("TenantStageIT-kill"), port)) {
                agent.start();
                agent.await(Duration.ofSeconds(30), "acme's entry stored and beta's push failing",
                        () -> loki.entries("acme").size() == 1 && loki.answers().getOrDefault(500, 0L) >= 2);
                assertThat(loki.entries("beta")).isEmpty();
                agent.kill9();
            }
            String positions = Files.exists(dir.resolve("positions.yaml")) ? Files.readString(dir.resolve("positions.yaml")) : "";
            assertThat(positions).doesNotContain("\"" + log + "\" : \"" + Files.size(log) + "\"");
            loki.failTenant(null);
            try (AgentProcess agent = new AgentProcess(config, AgentProcess.logFile("TenantStageIT-restart"), port)) {
                agent.start();
                agent.await(Duration.ofSeconds(30), "beta's entry stored", () -> loki.entries("beta").size() == 1);
                agent.await(Duration.ofSeconds(30), "acme's resend seen", () -> loki.duplicates() >= 1);
                assertThat(loki.entries("acme")).extracting(LokiReceiver.Entry::line).containsExactly("a1");
                assertThat(loki.entries("beta")).extracting(LokiReceiver.Entry::line).containsExactly("b1");
                assertThat(agent.terminate(Duration.ofSeconds(30))).isZero();
            }
            assertThat(Files.readString(dir.resolve("positions.yaml")))
                    .contains("\"" + log + "\" : \"" + Files.size(log) + "\"");
        }
    }
}

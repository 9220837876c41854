package tailflow.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as scripts and the lab's unit file use it, run in-process. */
class AgentMainTest {
    static final Path CONFIGS = Path.of("..", "configs");

    @TempDir
    Path tmp;

    private AgentMain.Host host() {
        return CliRun.host(Map.of(), Path.of("/sys"));
    }

    @Test
    void dryRunOnTheExampleAgentYamlExitsZeroAndShowsJobsAndSflow() {
        CliRun r = CliRun.run(host(), "--dry-run", "--config", CONFIGS.resolve("agent.yaml").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("job_name: system", "hostname: testhost", "__path__: /var/log/*log",
                "url: http://localhost:3100/loki/api/v1/push", "- 127.0.0.1:6343", "machine: x86_64", "jna: ", "libpcap: ", "agent_address:");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void promtailSingleDashFlagsFromTheLabsUnitLineWork() {
        CliRun r = CliRun.run(host(), "-config.file", CONFIGS.resolve("promtail-config.yaml").toString(), "-dry-run");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("filename: /tmp/positions.yaml");
        // the lab's placeholder is sent as written, and the user is told why
        assertThat(r.err()).contains("labels.hostname: is the literal text 'hostname'");
        CliRun eq = CliRun.run(host(), "-config.file=" + CONFIGS.resolve("promtail-config.yaml"), "-config.expand-env=true", "-dry-run");
        assertThat(eq.exit()).as(eq.err()).isZero();
    }

    @Test
    void dryRunOnTheExampleHsflowdConf() {
        CliRun r = CliRun.run(host(), "--dry-run", "--hsflowd-config", CONFIGS.resolve("hsflowd.conf").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("speed: 1-", "- 127.0.0.1:6343", "logs: off");
    }

    @Test
    void bothFilesTheHsflowdConfSuppliesSflow() throws Exception {
        Path yaml = tmp.resolve("agent.yaml");
        Files.writeString(yaml, Files.readString(CONFIGS.resolve("agent.yaml")).replace("ip: 127.0.0.1", "ip: 192.0.2.99"));
        CliRun r = CliRun.run(host(), "--dry-run", "--config", yaml.toString(),
                "--hsflowd-config", CONFIGS.resolve("hsflowd.conf").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("- 127.0.0.1:6343").doesNotContain("192.0.2.99");
        assertThat(r.err()).contains(yaml + ":24:1: sflow: ignored: --hsflowd-config supplies the sflow settings");
    }

    @Test
    void printConfigStderrMasksSecrets() throws Exception {
        Path yaml = tmp.resolve("a.yaml");
        Files.writeString(yaml, """
                clients:
                  - url: https://loki.example:3100/loki/api/v1/push
                    basic_auth: {username: u, password: hunter2}
                  - url: https://other.example/loki/api/v1/push
                    bearer_token: tok123
                scrape_configs:
                  - job_name: j
                    static_configs: [{targets: [localhost], labels: {__path__: /nonexistent/*.log}}]
                """);
        CliRun r = CliRun.run(host(), "-print-config-stderr", "--dry-run", "--config", yaml.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err() + r.out()).doesNotContain("hunter2").doesNotContain("tok123");
        assertThat(r.err()).contains("password: <secret>", "bearer_token: <secret>");
    }

    @Test
    void stdoutNeedsNoClients() throws Exception {
        Path yaml = tmp.resolve("a.yaml");
        Files.writeString(yaml, "scrape_configs:\n  - job_name: j\n"
                + "    static_configs: [{targets: [localhost], labels: {__path__: /nonexistent/*.log}}]\n");
        CliRun without = CliRun.run(host(), "--dry-run", "--config", yaml.toString());
        assertThat(without.exit()).isEqualTo(2);
        assertThat(without.err()).contains(yaml + ":1:1: clients: expected at least one Loki client");
        CliRun with = CliRun.run(host(), "--dry-run", "--stdout", "--config", yaml.toString());
        assertThat(with.exit()).as(with.err()).isZero();
    }

    @Test
    void noConfigIsAUsageErrorWithExit2() {
        CliRun r = CliRun.run(host(), "--dry-run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("agent: a config is required");
    }

    @Test
    void unknownFlagIsExit2() {
        assertThat(CliRun.run(host(), "--no-such-flag").exit()).isEqualTo(2);
    }

    @Test
    void helpTeachesWithExamplesAndVersionPrints() {
        CliRun help = CliRun.run(host(), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Examples:", "agent -config.file /etc/promtail/promtail-config.yaml",
                "-config.expand-env", "hsflowd.conf supplies the sflow settings", "${VAR}", "write $$ for a literal $.", "Exit codes:");
        CliRun version = CliRun.run(host(), "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("tailflow agent ");
    }
}

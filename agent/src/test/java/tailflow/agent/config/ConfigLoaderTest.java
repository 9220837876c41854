package tailflow.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.dryrun.EffectiveConfig;

/** agent.yaml / Promtail files: values, Promtail's defaults, warnings and env expansion. */
class ConfigLoaderTest {
    static final Path CONFIGS = Path.of("..", "configs");

    private static ConfigLoader loader(Map<String, String> env) {
        return new ConfigLoader(env, () -> "machine-name", true);
    }

    private static AgentConfig parse(String yaml) throws ConfigException {
        return loader(Map.of()).parseYaml("t.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<ConfigLoader.Source> source(String name) {
        return Optional.of(new ConfigLoader.Source(CONFIGS.resolve(name), "--config"));
    }

    @Test
    void exampleAgentYamlLoadsWithItsValuesAndTheMachinesHostname() throws Exception {
        AgentConfig c = loader(Map.of()).load(source("agent.yaml"), Optional.empty());
        assertThat(c.warnings()).isEmpty();
        assertThat(c.server()).isEqualTo(new ServerConfig("0.0.0.0", 9080, 0));
        assertThat(c.clients()).singleElement().satisfies(cl ->
                assertThat(cl.url()).isEqualTo(URI.create("http://localhost:3100/loki/api/v1/push")));
        ScrapeConfig.StaticConfig st = c.scrapeConfigs().get(0).staticConfigs().get(0);
        assertThat(c.scrapeConfigs().get(0).jobName()).isEqualTo("system");
        assertThat(st.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("job", "varlogs", "hostname", "machine-name"));
        assertThat(st.pathGlob()).isEqualTo("/var/log/*log");
        SflowConfig s = c.sflow().orElseThrow();
        assertThat(s.pollingSeconds()).isEqualTo(20);
        assertThat(s.sampling()).isEqualTo(400);
        assertThat(s.tcp()).isTrue();
        assertThat(s.collectors()).containsExactly(new SflowConfig.Collector("127.0.0.1", 6343));
        assertThat(s.pcaps()).containsExactly(new SflowConfig.PcapSource(Optional.empty(),
                Optional.of(new SflowConfig.SpeedRange(1, Long.MAX_VALUE)), Optional.empty(), false));
    }

    @Test
    void hostnameFromTheInjectedEnvironmentWins() throws Exception {
        AgentConfig c = loader(Map.of("HOSTNAME", "from-env")).load(source("agent.yaml"), Optional.empty());
        assertThat(c.scrapeConfigs().get(0).staticConfigs().get(0).labels()).containsEntry("hostname", "from-env");
    }

    @Test
    void promtailDefaultsAreFilledIn() throws Exception {
        AgentConfig c = parse("""
                clients:
                  - url: http://loki:3100/loki/api/v1/push
                scrape_configs:
                  - job_name: j
                    static_configs: [{targets: [localhost], labels: {__path__: /var/log/*.log}}]
                """);
        ClientConfig cl = c.clients().get(0);
        assertThat(cl.batchWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(cl.batchSizeBytes()).isEqualTo(1_048_576);
        assertThat(cl.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(cl.backoff()).isEqualTo(new ClientConfig.BackoffConfig(Duration.ofMillis(500), Duration.ofMinutes(5), 10));
        assertThat(cl.encoding()).isEqualTo(ClientConfig.PushEncoding.PROTOBUF);
        assertThat(c.positions()).isEqualTo(new PositionsConfig(Path.of("/var/log/positions.yaml"), Duration.ofSeconds(10)));
        assertThat(c.server()).isEqualTo(new ServerConfig("0.0.0.0", 9080, 9095));
        assertThat(c.targetConfig().syncPeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.limits().maxLineSize()).isEqualTo(256 * 1024);
        assertThat(c.sflow()).isEmpty();
    }

    @Test
    void everySupportedPromtailKeyIsRead() throws Exception {
        AgentConfig c = parse("""
                server: {http_listen_address: 127.0.0.1, http_listen_port: 0, grpc_listen_port: 0}
                positions: {filename: /var/lib/tailflow/p.yaml, sync_period: 2s}
                clients:
                  - url: https://loki.example/loki/api/v1/push
                    tenant_id: team-a
                    batchwait: 250ms
                    batchsize: 1MiB
                    timeout: 5s
                    backoff_config: {min_period: 100ms, max_period: 1m, max_retries: 3}
                    basic_auth: {username: u, password: p}
                    tls_config: {ca_file: /etc/ca.pem, cert_file: /etc/c.pem, key_file: /etc/k.pem,
                                 server_name: loki, insecure_skip_verify: true}
                    external_labels: {cluster: lab}
                  - url: http://other:3100/loki/api/v1/push
                    bearer_token: tok
                    encoding: json
                scrape_configs:
                  - job_name: j
                    static_configs:
                      - targets: [localhost]
                        labels: {job: varlogs, __path__: /var/log/**/*.log, __path_exclude__: /var/log/*.gz}
                target_config: {sync_period: 3s}
                limits_config: {max_line_size: 1KiB, partial_line_wait: 2s}
                """);
        assertThat(c.server()).isEqualTo(new ServerConfig("127.0.0.1", 0, 0));
        assertThat(c.positions()).isEqualTo(new PositionsConfig(Path.of("/var/lib/tailflow/p.yaml"), Duration.ofSeconds(2)));
        ClientConfig a = c.clients().get(0);
        assertThat(a.tenantId()).contains("team-a");
        assertThat(a.batchWait()).isEqualTo(Duration.ofMillis(250));
        assertThat(a.batchSizeBytes()).isEqualTo(1_048_576);
        assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.backoff()).isEqualTo(new ClientConfig.BackoffConfig(Duration.ofMillis(100), Duration.ofMinutes(1), 3));
        assertThat(a.basicAuth()).contains(new ClientConfig.BasicAuth("u", Optional.of("p"), Optional.empty()));
        assertThat(a.tls()).contains(new ClientConfig.TlsConfig(Optional.of(Path.of("/etc/ca.pem")), Optional.of(Path.of("/etc/c.pem")),
                Optional.of(Path.of("/etc/k.pem")), Optional.of("loki"), true));
        assertThat(a.externalLabels()).isEqualTo(Map.of("cluster", "lab"));
        ClientConfig b = c.clients().get(1);
        assertThat(b.bearerToken()).contains("tok");
        assertThat(b.encoding()).isEqualTo(ClientConfig.PushEncoding.JSON);
        ScrapeConfig.StaticConfig st = c.scrapeConfigs().get(0).staticConfigs().get(0);
        assertThat(st.pathGlob()).isEqualTo("/var/log/**/*.log");
        assertThat(st.pathExcludeGlob()).contains("/var/log/*.gz");
        assertThat(st.labels()).isEqualTo(Map.of("job", "varlogs"));
        assertThat(c.targetConfig().syncPeriod()).isEqualTo(Duration.ofSeconds(3));
        // Promtail's client drops lines over 1 KiB after the stages; the tailers read 256 KiB to see them
        assertThat(c.limits()).isEqualTo(new LimitsConfig(256 * 1024, Duration.ofSeconds(2), false,
                LimitsConfig.DEFAULT_READLINE_RATE, LimitsConfig.DEFAULT_READLINE_BURST, true, 0, false, 1024));
    }

    @Test
    void promtailKeysWeDoNotImplementAreWarningsWithFileAndLine() throws Exception {
        AgentConfig c = parse("""
                server:
                  http_listen_port: 9080
                  log_level: info
                clients:
                  - url: http://loki:3100/loki/api/v1/push
                    headers: {X-Scope: a}
                scrape_configs:
                  - job_name: j
                    pipeline_stages:
                      - regex: {expression: '^(?P<x>.*)$'}
                    relabel_configs: []
                    static_configs: [{targets: [localhost], labels: {__path__: /var/log/*.log}}]
                  - job_name: journal
                    journal: {max_age: 12h}
                """);
        assertThat(c.warnings()).extracting(Object::toString).containsExactlyInAnyOrder(
                "not supported yet: clients[0].headers (t.yaml:6)");
        assertThat(c.scrapeConfigs()).extracting(ScrapeConfig::jobName).containsExactly("j", "journal");
        assertThat(c.warnings().get(0).column()).isEqualTo(5);
        assertThat(c.server().julLevel()).isEqualTo(java.util.logging.Level.INFO);
    }

    @Test
    void promtailLimitsAndLogLevelBind() throws Exception {
        AgentConfig c = parse("""
                server: {log_level: warn}
                clients: [{url: http://loki:3100/loki/api/v1/push}]
                limits_config:
                  readline_rate_enabled: true
                  readline_rate: 500
                  readline_burst: 50
                  readline_rate_drop: false
                  max_streams: 100
                  max_line_size_truncate: true
                """);
        assertThat(c.warnings()).isEmpty();
        assertThat(c.server().julLevel()).isEqualTo(java.util.logging.Level.WARNING);
        assertThat(c.limits()).isEqualTo(new LimitsConfig(PromtailBinder.DEFAULT_MAX_LINE_SIZE,
                PromtailBinder.DEFAULT_PARTIAL_LINE_WAIT, true, 500, 50, false, 100, true, 0));
        assertThatThrownBy(() -> parse("server: {log_level: verbose}\nclients: [{url: http://l:3100/loki/api/v1/push}]"))
                .hasMessageContaining("t.yaml:1:21: server.log_level: expected one of debug, info, warn, error");
    }

    @Test
    void envExpansionUsesTheInjectedEnvironmentInAnyValue() throws Exception {
        AgentConfig c = loader(Map.of("LOKI", "loki.lab", "PORT", "9099", "PW", "s3cret")).parseYaml("t.yaml", """
                server:
                  http_listen_port: ${PORT}
                clients:
                  - url: http://${LOKI}:3100/loki/api/v1/push
                    basic_auth: {username: "${USER:-agent}", password: "${PW}"}
                    external_labels: {price: "$$5", literal: "${LOKI}$$"}
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(c.server().httpListenPort()).isEqualTo(9099);
        assertThat(c.clients().get(0).url()).isEqualTo(URI.create("http://loki.lab:3100/loki/api/v1/push"));
        assertThat(c.clients().get(0).basicAuth().orElseThrow().username()).isEqualTo("agent");
        assertThat(c.clients().get(0).basicAuth().orElseThrow().password()).contains("s3cret");
        assertThat(c.clients().get(0).externalLabels()).isEqualTo(Map.of("price", "$5", "literal", "loki.lab$"));
    }

    @Test
    void anUnsetVariableUnderAKeyTailflowIgnoresDoesNotFailTheConfig() throws Exception {
        AgentConfig c = parse("""
                clients:
                  - url: http://loki:3100/loki/api/v1/push
                scrape_configs:
                  - job_name: j
                    syslog: {listen_address: '${NOT_SET}'}
                    static_configs: [{targets: [localhost], labels: {__path__: /var/log/*.log}}]
                """);
        assertThat(c.warnings()).extracting(ConfigWarning::key).containsExactly("scrape_configs[0].syslog");
    }

    @Test
    void expandEnvFalseTakesValuesAsWritten() throws Exception {
        AgentConfig c = new ConfigLoader(Map.of("X", "y"), () -> "h", false).parseYaml("t.yaml", """
                clients:
                  - url: http://loki:3100/loki/api/v1/push
                    external_labels: {a: "${X}"}
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(c.clients().get(0).externalLabels()).isEqualTo(Map.of("a", "${X}"));
    }

    @Test
    void promtailsDeprecatedSingleClientBlockStillWorks() throws Exception {
        AgentConfig c = parse("client:\n  url: http://loki:3100/loki/api/v1/push\n  tenant_id: t\n");
        assertThat(c.clients()).singleElement().satisfies(cl -> assertThat(cl.tenantId()).contains("t"));
        assertThat(c.warnings()).extracting(Object::toString)
                .containsExactly("t.yaml:1:1: client: deprecated (as in Promtail): write it as an entry of clients:");
    }

    @Test
    void anSflowOnlyYamlNeedsNoClients() throws Exception {
        AgentConfig c = parse("sflow:\n  collectors: [{ip: 192.0.2.1}]\n");
        assertThat(c.clients()).isEmpty();
        assertThat(c.sflow().orElseThrow().collectors()).containsExactly(new SflowConfig.Collector("192.0.2.1", 6343));
    }

    @Test
    void theEffectiveConfigLoadsBackToTheSameConfig() throws Exception {
        AgentConfig c = loader(Map.of()).load(source("agent.yaml"), Optional.empty());
        AgentConfig again = parse(EffectiveConfig.yaml(c));
        assertThat(again).isEqualTo(c);
        AgentConfig p = loader(Map.of()).load(source("promtail-config.yaml"), Optional.empty());
        AgentConfig pAgain = parse(EffectiveConfig.yaml(p));
        assertThat(pAgain.scrapeConfigs()).isEqualTo(p.scrapeConfigs());
        assertThat(pAgain.clients()).isEqualTo(p.clients());
    }

    @Test
    void theLabsPromtailFileLoadsAsIs() throws Exception {
        AgentConfig c = loader(Map.of()).load(source("promtail-config.yaml"), Optional.empty());
        assertThat(c.positions().filename()).isEqualTo(Path.of("/tmp/positions.yaml"));
        // the placeholder is sent as written, with a warning that says why
        assertThat(c.scrapeConfigs().get(0).staticConfigs().get(0).labels()).containsEntry("hostname", "hostname");
        assertThat(c.warnings()).singleElement().satisfies(w -> {
            assertThat(w.key()).isEqualTo("scrape_configs[0].static_configs[0].labels.hostname");
            assertThat(w.line()).isEqualTo(21);
        });
    }

    @Test
    void bothSourcesTheHsflowdConfWins() throws Exception {
        AgentConfig c = loader(Map.of()).load(source("agent.yaml"),
                Optional.of(new ConfigLoader.Source(CONFIGS.resolve("hsflowd.conf"), "--hsflowd-config")));
        assertThat(c.sflow().orElseThrow().pcaps()).hasSize(1);
        assertThat(c.warnings()).extracting(ConfigWarning::key).containsExactly("sflow");
        assertThat(c.clients()).hasSize(1);
    }

    @Test
    void configErrorsCarryEveryError() {
        assertThatThrownBy(() -> parse("server: {http_listen_port: x, grpc_listen_port: y}\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::key)
                        .containsExactly("clients", "server.http_listen_port", "server.grpc_listen_port"));
    }

    @Test
    void listsAreImmutableRecords() throws Exception {
        AgentConfig c = parse("sflow:\n  collectors: [{ip: 192.0.2.1}]\n");
        assertThat(c.clients()).isEqualTo(List.of());
    }
}

package tailflow.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.relabel.RelabelAction;
import tailflow.agent.relabel.RelabelRule;

/** relabel_configs and journal: blocks: Prometheus'/Promtail's defaults, and located errors. */
class RelabelAndJournalBindingTest {

    private static AgentConfig parse(String yaml) throws ConfigException {
        return new ConfigLoader(Map.of(), () -> "machine-name", true).parseYaml("t.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> errors(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("expected config errors");
    }

    private static final String HEAD = """
            clients: [{url: http://localhost:3100/loki/api/v1/push}]
            scrape_configs:
              - job_name: journal
                journal: {}
                relabel_configs:
            """;

    @Test
    void promtailsJournalExampleBindsWithDefaults() throws Exception {
        AgentConfig c = parse("""
                server:
                  http_listen_port: 9080
                  grpc_listen_port: 0
                positions:
                  filename: /tmp/positions.yaml
                clients:
                  - url: http://localhost:3100/loki/api/v1/push
                scrape_configs:
                  - job_name: journal
                    journal:
                      max_age: 12h
                      labels:
                        job: systemd-journal
                    relabel_configs:
                      - source_labels: ['__journal__systemd_unit']
                        target_label: 'unit'
                """);
        ScrapeConfig s = c.scrapeConfigs().get(0);
        assertThat(s.staticConfigs()).isEmpty();
        JournalConfig j = s.journal().orElseThrow();
        assertThat(j.maxAge()).isEqualTo(Duration.ofHours(12));
        assertThat(j.json()).isFalse();
        assertThat(j.path()).isEmpty();
        assertThat(j.matches()).isEmpty();
        assertThat(j.labels()).isEqualTo(Map.of("job", "systemd-journal"));
        RelabelRule r = s.relabelConfigs().get(0);
        assertThat(r.sourceLabels()).containsExactly("__journal__systemd_unit");
        assertThat(r.targetLabel()).isEqualTo("unit");
        assertThat(r.action()).isEqualTo(RelabelAction.REPLACE);
        assertThat(r.separator()).isEqualTo(";");
        assertThat(r.regexText()).isEqualTo("(.*)");
        assertThat(r.replacement()).isEqualTo("$1");
    }

    @Test
    void promtailsJournalExampleFileLoadsUnchangedWithoutWarnings() throws Exception {
        AgentConfig c = new ConfigLoader(Map.of(), () -> "machine-name", true)
                .load(Optional.of(new ConfigLoader.Source(Path.of("..", "configs", "promtail-journal.yaml"), "--config")),
                        Optional.empty());
        assertThat(c.warnings()).isEmpty();
        assertThat(c.scrapeConfigs().get(0).journal()).isPresent();
    }

    @Test
    void journalKeys() throws Exception {
        AgentConfig c = parse("""
                clients: [{url: http://localhost:3100/loki/api/v1/push}]
                scrape_configs:
                  - job_name: j
                    journal:
                      json: true
                      path: /var/log/journal
                      matches: _SYSTEMD_UNIT=ssh.service  _SYSTEMD_UNIT=cron.service PRIORITY=3
                """);
        JournalConfig j = c.scrapeConfigs().get(0).journal().orElseThrow();
        assertThat(j.maxAge()).isEqualTo(Duration.ofHours(7));
        assertThat(j.json()).isTrue();
        assertThat(j.path()).contains(Path.of("/var/log/journal"));
        assertThat(j.matches()).extracting(JournalConfig.Match::term)
                .containsExactly("_SYSTEMD_UNIT=ssh.service", "_SYSTEMD_UNIT=cron.service", "PRIORITY=3");
    }

    @Test
    void badMatchesAndMaxAgeAreLocated() {
        assertThat(errors("""
                clients: [{url: http://localhost:3100/loki/api/v1/push}]
                scrape_configs:
                  - job_name: j
                    journal:
                      max_age: soon
                      matches: _SYSTEMD_UNIT ssh=a=b
                      jsn: true
                """)).containsExactly(
                "t.yaml:5:16: scrape_configs[0].journal.max_age: expected a duration like 12h or 30m, found 'soon'",
                "t.yaml:6:16: scrape_configs[0].journal.matches: expected FIELD=value terms separated by spaces"
                        + " (FIELD of A-Z, 0-9 and _, like _SYSTEMD_UNIT=ssh.service), found '_SYSTEMD_UNIT'",
                "t.yaml:6:16: scrape_configs[0].journal.matches: expected FIELD=value terms separated by spaces"
                        + " (FIELD of A-Z, 0-9 and _, like _SYSTEMD_UNIT=ssh.service), found 'ssh=a=b'",
                "t.yaml:7:7: scrape_configs[0].journal.jsn: unknown key; did you mean json?");
    }

    @Test
    void badRegexIsLocatedAtTheValue() {
        assertThat(errors(HEAD + """
                      - source_labels: [a]
                        regex: 'ab(c'
                        target_label: x
                """)).singleElement().asString()
                .startsWith("t.yaml:7:16: scrape_configs[0].relabel_configs[0].regex: expected a regular expression in RE2 syntax: ")
                .endsWith("in 'ab(c'");
    }

    @Test
    void unknownActionIsLocated() {
        assertThat(errors(HEAD + """
                      - source_labels: [a]
                        action: rename
                """)).containsExactly("t.yaml:7:17: scrape_configs[0].relabel_configs[0].action: expected one of replace,"
                + " keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase, found 'rename'");
    }

    @Test
    void prometheusValidationIsLocated() {
        assertThat(errors(HEAD + """
                      - source_labels: [a]
                      - source_labels: [a]
                        action: hashmod
                        target_label: h
                      - regex: b.*
                        action: labeldrop
                        target_label: x
                      - source_labels: [a, 1b]
                        target_label: y
                """)).containsExactly(
                "t.yaml:6:9: scrape_configs[0].relabel_configs[0].target_label: expected a target_label for the replace action",
                "t.yaml:8:9: scrape_configs[0].relabel_configs[1].modulus: expected a modulus above 0 for the hashmod action",
                "t.yaml:12:23: scrape_configs[0].relabel_configs[2].target_label: cannot be set for the labeldrop action"
                        + " (it takes only regex)",
                "t.yaml:13:28: scrape_configs[0].relabel_configs[3].source_labels: '1b' is not a valid label name:"
                        + " expected letters, digits and _ (not starting with a digit)");
    }

    @Test
    void explicitEmptyReplacementAndUnsignedModulus() throws Exception {
        AgentConfig c = parse(HEAD + """
                      - source_labels: [a]
                        target_label: b
                        replacement: ''
                      - source_labels: [a]
                        target_label: h
                        action: HashMod
                        modulus: 18446744073709551615
                """);
        List<RelabelRule> rules = c.scrapeConfigs().get(0).relabelConfigs();
        assertThat(rules.get(0).replacement()).isEmpty();
        assertThat(rules.get(1).action()).isEqualTo(RelabelAction.HASHMOD);
        assertThat(rules.get(1).modulus()).isEqualTo(-1L);
        assertThat(c.scrapeConfigs().get(0).journal()).map(JournalConfig::maxAge).isEqualTo(Optional.of(Duration.ofHours(7)));
    }

    @Test
    void notAListIsAnError() {
        assertThatThrownBy(() -> parse("""
                clients: [{url: http://localhost:3100/loki/api/v1/push}]
                scrape_configs:
                  - job_name: j
                    journal: {}
                    relabel_configs: {source_labels: [a]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("t.yaml:5:22: scrape_configs[0].relabel_configs: expected a list");
    }
}

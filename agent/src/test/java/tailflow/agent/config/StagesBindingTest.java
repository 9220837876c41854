package tailflow.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tailflow.agent.stages.StageSpec;

/** pipeline_stages binding: every stage's keys, and errors at FILE:LINE:COLUMN naming the stage. */
class StagesBindingTest {

    private static AgentConfig parse(String stages) throws ConfigException {
        String yaml = """
                clients: [{url: http://loki:3100/loki/api/v1/push}]
                scrape_configs:
                  - job_name: j
                    static_configs: [{targets: [localhost], labels: {__path__: /var/log/*.log}}]
                    pipeline_stages:
                """ + stages.indent(6);
        return new ConfigLoader(Map.of(), () -> "h", true).parseYaml("t.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyStageBinds() throws Exception {
        AgentConfig c = parse("""
                - docker: {}
                - cri: {max_partial_lines: 10, max_partial_line_size: 1KiB, max_partial_line_size_truncate: true}
                - regex: {expression: '^(?P<level>\\\\w+) (?P<msg>.*)$'}
                - json: {expressions: {app: '', nested: 'a.b[0]'}, source: msg, drop_malformed: true}
                - logfmt: {mapping: {lvl: level}}
                - replace: {expression: '(secret=\\\\S+)', replace: '***'}
                - multiline: {firstline: '^\\\\d{4}', max_wait_time: 3s, max_lines: 500}
                - decolorize:
                - template: {source: level, template: '{{ .Value | ToUpper }}'}
                - pack: {labels: [app], ingest_timestamp: false}
                - timestamp: {source: ts, format: RFC3339Nano, fallback_formats: [UnixMs], location: Europe/Berlin, action_on_failure: skip}
                - output: {source: msg}
                - labels: {level: , app: application}
                - static_labels: {env: prod}
                - labeldrop: [filename]
                - labelallow: [job, level]
                - structured_metadata: {trace_id: }
                - tenant: {value: team-a}
                - limit: {rate: 10, burst: 20, drop: true}
                - sampling: {rate: 0.5}
                - match:
                    selector: '{job="j"} |= "debug"'
                    pipeline_name: debug
                    stages:
                      - static_labels: {debug: "yes"}
                - match: {selector: '{job="j"} !~ "x"', action: drop, drop_counter_reason: noise}
                - drop: {source: [level, app], value: 'debug;loki', separator: ';'}
                - drop: {expression: '.*health.*', older_than: 24h, longer_than: 8KB, drop_counter_reason: big}
                - metrics:
                    log_lines_total:
                      type: Counter
                      description: total number of log lines
                      prefix: my_promtail_custom_
                      max_idle_duration: 24h
                      config: {match_all: true, action: inc}
                    response_seconds:
                      type: Histogram
                      source: took
                      config: {buckets: [0.1, 0.5, 1]}
                """);
        assertThat(c.scrapeConfigs().get(0).pipelineStages()).extracting(StageSpec::name).containsExactly(
                "docker", "cri", "regex", "json", "logfmt", "replace", "multiline", "decolorize", "template", "pack",
                "timestamp", "output", "labels", "static_labels", "labeldrop", "labelallow", "structured_metadata",
                "tenant", "limit", "sampling", "match", "match", "drop", "drop", "metrics");
    }

    @Test
    void badExpressionsAreErrorsAtTheirValueNamingTheStage() {
        assertThatThrownBy(() -> parse("""
                - regex: {expression: '(?P<a'}
                - json:
                    expressions:
                      x: 'a[['
                - template: {source: s, template: '{{ .Value | nosuch }}'}
                - match: {selector: '{app=}', action: drop}
                - timestamp: {source: ts, format: rfc3339}
                - multiline: {firstline: '(?<=x)'}
                - labels: {bad-name: x}
                - nosuchstage: {a: 1}
                - metrics: {m: {type: counter, config: {action: set}}}
                """)).isInstanceOf(ConfigException.class).satisfies(e -> assertThat(e.getMessage()).contains(
                "t.yaml:6:", "scrape_configs[0].pipeline_stages[0].regex.expression: could not compile regular expression",
                "t.yaml:9:", "scrape_configs[0].pipeline_stages[1].json.expressions.x: could not compile JMES expression",
                "t.yaml:10:", "pipeline_stages[2].template.template: template: 1: function \"nosuch\" not defined",
                "t.yaml:11:", "pipeline_stages[3].match.selector: invalid selector syntax",
                "t.yaml:12:", "pipeline_stages[4].timestamp.format: 'rfc3339' is not a time layout; did you mean RFC3339?",
                "t.yaml:13:", "pipeline_stages[5].multiline.firstline",
                "t.yaml:14:", "pipeline_stages[6].labels: invalid label name: bad-name",
                "t.yaml:15:", "pipeline_stages[7].nosuchstage: unknown stage",
                "t.yaml:16:", "pipeline_stages[8].metrics.m: action set is not valid"));
    }

    @Test
    void emptyLabelStagesAreAcceptedAndDoNothingAsInPromtail() throws Exception {
        AgentConfig c = parse("""
                - labels:
                - static_labels: {}
                - structured_metadata: {}
                - json: {expressions: {a: a}}
                """);
        assertThat(c.warnings()).isEmpty();
        assertThat(c.scrapeConfigs().get(0).pipelineStages()).extracting(StageSpec::name).containsExactly("json");
    }

    @Test
    void unknownKeysInAStageAreWarningsAsPromtailIgnoresThem() throws Exception {
        AgentConfig c = parse("""
                - regex: {expression: '(?P<a>x)', sourc: b}
                - docker: {whatever: 1}
                - metrics:
                    m:
                      type: Counter
                      descripton: typo
                      config: {action: inc, matchall: true}
                """);
        assertThat(c.warnings()).extracting(Object::toString).satisfiesExactlyInAnyOrder(
                w -> assertThat(w).contains("t.yaml:6:", "pipeline_stages[0].regex.sourc: unknown key, ignored (as Promtail"
                        + " ignores it); did you mean source?"),
                w -> assertThat(w).contains("t.yaml:7:", "pipeline_stages[1].docker.whatever: unknown key, ignored"),
                w -> assertThat(w).contains("t.yaml:11:", "metrics.m.descripton: unknown key, ignored", "did you mean description?"),
                w -> assertThat(w).contains("t.yaml:12:", "metrics.m.config.matchall: unknown key, ignored"));
        assertThat(c.scrapeConfigs().get(0).pipelineStages()).extracting(StageSpec::name).containsExactly("regex", "docker",
                "metrics");
    }

    @Test
    void perEntryTenantsBindWithoutWarning() throws Exception {
        AgentConfig c = parse("- tenant: {source: customer}");
        assertThat(c.warnings()).isEmpty();
        assertThat(c.scrapeConfigs().get(0).pipelineStages()).extracting(StageSpec::name).containsExactly("tenant");
    }

    @Test
    void unsupportedStagesWarn() throws Exception {
        AgentConfig c = parse("""
                - geoip: {db: /x.mmdb, source: ip, db_type: city}
                - eventlogmessage: {source: message}
                """);
        assertThat(c.warnings()).extracting(Object::toString).contains(
                "not supported yet: scrape_configs[0].pipeline_stages[0].geoip (t.yaml:6)",
                "not supported yet: scrape_configs[0].pipeline_stages[1].eventlogmessage (t.yaml:7)");
        assertThat(c.scrapeConfigs().get(0).pipelineStages()).isEmpty();
    }
}

package tailflow.provisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.ConfigLoader;
import tailflow.provisioner.inventory.InventoryHost;

/** Rendered configs are checked with the agent's own loader: what the provisioner writes, the agent accepts. */
class AgentConfigRendererTest {

    private static AgentSettings settings(Map<String, Object> vars) {
        return AgentSettings.of(new InventoryHost("h1", List.of("all"), vars));
    }

    @Test
    void everySettingRendersIntoAConfigTheAgentLoads() throws Exception {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("tailflow_loki_url", List.of("http://a:3100/loki/api/v1/push", "http://b:3100/loki/api/v1/push"));
        vars.put("tailflow_loki_tenant", "lab");
        vars.put("tailflow_loki_basic_auth", "promtail:s3cret");
        vars.put("tailflow_sflow_collectors", List.of("192.0.2.10", "192.0.2.11:6400"));
        vars.put("tailflow_sampling", 1000);
        vars.put("tailflow_polling", "30");
        vars.put("tailflow_labels", Map.of("env", "lab"));
        vars.put("tailflow_log_paths", "/var/log/*log, /srv/app/*.log");
        String yaml = new AgentConfigRenderer().render(settings(vars), "pi01");
        AgentConfig c = new ConfigLoader(Map.of(), () -> "ignored", true).parseYaml("agent.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(c.warnings()).isEmpty();
        assertThat(c.clients()).hasSize(2);
        assertThat(c.clients().get(0).tenantId()).contains("lab");
        assertThat(c.clients().get(1).basicAuth().orElseThrow().password()).contains("s3cret");
        assertThat(c.scrapeConfigs().get(0).staticConfigs()).hasSize(2);
        assertThat(c.scrapeConfigs().get(0).staticConfigs().get(1).labels())
                .containsEntry("hostname", "pi01").containsEntry("env", "lab").containsEntry("job", "varlogs");
        assertThat(c.scrapeConfigs().get(0).staticConfigs().get(1).pathGlob()).isEqualTo("/srv/app/*.log");
        assertThat(c.sflow().orElseThrow().sampling()).isEqualTo(1000);
        assertThat(c.sflow().orElseThrow().pollingSeconds()).isEqualTo(30);
        assertThat(c.sflow().orElseThrow().collectors()).extracting(col -> col.host() + ":" + col.udpPort())
                .containsExactly("192.0.2.10:6343", "192.0.2.11:6400");
        assertThat(c.positions().filename().toString()).isEqualTo(tailflow.agent.layout.InstallLayout.STANDARD.positionsFile());
    }

    @Test
    void theJournalJobIsRenderedByDefaultWithUnitAndLevelAndTurnsOff() throws Exception {
        Map<String, Object> vars = new LinkedHashMap<>(Map.of("tailflow_loki_url", "http://l:3100/loki/api/v1/push",
                "tailflow_labels", Map.of("env", "lab")));
        AgentConfig c = new ConfigLoader(Map.of(), () -> "ignored", true).parseYaml("agent.yaml",
                new AgentConfigRenderer().render(settings(vars), "pi01").getBytes(StandardCharsets.UTF_8));
        assertThat(c.warnings()).isEmpty();
        var journal = c.scrapeConfigs().get(1);
        assertThat(journal.jobName()).isEqualTo("journal");
        assertThat(journal.journal().orElseThrow().labels())
                .isEqualTo(Map.of("job", "systemd-journal", "hostname", "pi01", "env", "lab"));
        assertThat(journal.relabelConfigs()).extracting(r -> r.sourceLabels().get(0) + "->" + r.targetLabel())
                .containsExactly("__journal__systemd_unit->unit", "__journal_priority_keyword->level");
        vars.put("tailflow_journal", false);
        assertThat(new AgentConfigRenderer().render(settings(vars), "pi01")).doesNotContain("journal");
    }

    @Test
    void renderingIsDeterministic() {
        Map<String, Object> vars = Map.of("tailflow_loki_url", "http://l:3100/loki/api/v1/push", "tailflow_heap", "96m");
        AgentConfigRenderer r = new AgentConfigRenderer();
        assertThat(r.render(settings(vars), "h")).isEqualTo(r.render(settings(vars), "h"));
        assertThat(r.renderDropIn(settings(vars))).contains("Environment=TAILFLOW_HEAP=96m");
    }

    @Test
    void badVariablesNameHostAndVariable() {
        assertThatThrownBy(() -> settings(Map.of())).hasMessage(
                "host h1: tailflow_loki_url: not set; set it (a URL or a list of URLs) in group_vars/all.yml or the inventory's [all:vars]");
        assertThatThrownBy(() -> settings(Map.of("tailflow_loki_url", "loki:3100"))).hasMessageContaining("is not an http(s) URL");
        assertThatThrownBy(() -> settings(Map.of("tailflow_loki_url", "http://l", "tailflow_sampling", "often")))
                .hasMessage("host h1: tailflow_sampling: must be a positive integer, got 'often'");
        assertThatThrownBy(() -> settings(Map.of("tailflow_loki_url", "http://l", "tailflow_sflow_collectors", "c:99999")))
                .hasMessageContaining("tailflow_sflow_collectors: 'c:99999' has no valid port");
        assertThatThrownBy(() -> settings(Map.of("tailflow_loki_url", "http://l", "tailflow_labels", "env=lab")))
                .hasMessageContaining("tailflow_labels: must be a map");
        assertThatThrownBy(() -> settings(Map.of("tailflow_loki_url", "http://l", "tailflow_heap", "lots")))
                .hasMessageContaining("tailflow_heap: 'lots' is not a JVM heap size");
    }
}

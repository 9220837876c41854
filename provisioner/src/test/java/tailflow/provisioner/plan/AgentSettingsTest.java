package tailflow.provisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.provisioner.inventory.InventoryHost;
import tailflow.provisioner.inventory.InventoryLoader;

/** Variables become settings, and a value that cannot be used is an error naming where it was written. */
class AgentSettingsTest {

    @TempDir
    Path dir;

    private InventoryHost host(String ini, Map<String, Object> extra) throws IOException {
        Path f = dir.resolve("hosts.ini");
        Files.writeString(f, ini);
        return InventoryLoader.load(f, extra).hosts().get(0);
    }

    private static final String BASE = "[agents]\nh1 tailflow_loki_url=http://loki:3100/loki/api/v1/push\n";

    @Test
    void aTypoInABooleanIsAnErrorAtItsLineNotFalse() throws IOException {
        InventoryHost h = host(BASE + "\n[agents:vars]\ntailflow_install_java=ture\n", Map.of());
        assertThatThrownBy(() -> AgentSettings.of(h)).hasMessage(dir.resolve("hosts.ini")
                + ":5:23: host h1: tailflow_install_java: expected a boolean (true/false, yes/no, on/off, 1/0), found 'ture'");
    }

    @Test
    void ansibleBooleanWordsAreRead() throws IOException {
        for (String yes : new String[] {"yes", "True", "on", "1", "y", "t"}) {
            assertThat(AgentSettings.of(host(BASE + "\n[agents:vars]\ntailflow_install_java=" + yes + "\n", Map.of())).installJava())
                    .as(yes).isTrue();
        }
        for (String no : new String[] {"no", "False", "off", "0", "n"}) {
            assertThat(AgentSettings.of(host(BASE + "\n[agents:vars]\ntailflow_install_java=" + no + "\n", Map.of())).installJava())
                    .as(no).isFalse();
        }
        assertThat(AgentSettings.of(host(BASE, Map.of())).installJava()).isFalse();
    }

    @Test
    void aBadValueFromAVarsFileOrExtraVarsNamesThatPlace() throws IOException {
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("group_vars/agents.yml"), "# sampling\ntailflow_sampling: lots\n");
        assertThatThrownBy(() -> AgentSettings.of(host(BASE, Map.of())))
                .hasMessage(dir.resolve("group_vars/agents.yml") + ":2:20: host h1: tailflow_sampling: must be a positive integer, got 'lots'");
        assertThatThrownBy(() -> AgentSettings.of(host(BASE, Map.of("tailflow_sampling", "-5"))))
                .hasMessage("extra vars (-e): host h1: tailflow_sampling: must be a positive integer, got '-5'");
    }

    @Test
    void labelNamesFollowTheOneRuleAndReservedNamesAreRefused() throws IOException {
        assertThatThrownBy(() -> AgentSettings.of(host(BASE + "\n[agents:vars]\ntailflow_labels={'1rack': 'a'}\n", Map.of())))
                .hasMessageContaining("hosts.ini:5:17: host h1: tailflow_labels: '1rack' is not a valid Loki label name");
        assertThatThrownBy(() -> AgentSettings.of(host(BASE + "\n[agents:vars]\ntailflow_labels={'__path__': 'a'}\n", Map.of())))
                .hasMessageContaining("'__path__' starts with __");
        assertThat(AgentSettings.of(host(BASE + "\n[agents:vars]\ntailflow_labels={'rack_2': 'a'}\n", Map.of())).labels())
                .containsEntry("rack_2", "a");
    }
}

package tailflow.agent.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstallLayoutTest {

    private final InstallLayout layout = InstallLayout.STANDARD;

    @Test
    void derivedPathsFollowTheRoots() {
        assertThat(layout.releaseDir("0.1.0-abc")).isEqualTo("/opt/tailflow/releases/0.1.0-abc");
        assertThat(layout.launcher()).isEqualTo("/opt/tailflow/current/bin/agent");
        assertThat(layout.configDir()).isEqualTo("/etc/tailflow");
        assertThat(layout.positionsFile()).isEqualTo("/var/lib/tailflow/positions.yaml");
        assertThat(layout.adminUnitFile()).isEqualTo("/etc/systemd/system/tailflow-agent.service");
        assertThat(layout.dropInFile()).isEqualTo("/etc/systemd/system/tailflow-agent.service.d/tailflow.conf");
        assertThat(layout.httpPort()).isEqualTo(9080);
    }

    @Test
    void relativeOrSlashTerminatedPathsAreRefused() {
        assertThatThrownBy(() -> new InstallLayout("opt/tailflow", "/etc/a.yaml", "/var/lib/t", "t.service", "t", "t",
                List.of(), 1)).hasMessageContaining("opt/tailflow");
        assertThatThrownBy(() -> new InstallLayout("/opt/t", "/etc/a.yaml", "/var/lib/t/", "t.service", "t", "t",
                List.of(), 1)).hasMessageContaining("/var/lib/t/");
    }

    /** The unit file in packaging/ is written by hand: it must say what the layout says. */
    @Test
    void theShippedUnitAgreesWithTheLayout() throws IOException {
        Path unit = Path.of("..", "packaging", layout.unitName());
        List<String> lines = Files.readAllLines(unit).stream().map(String::strip).toList();
        assertThat(lines).contains("ExecStart=" + layout.launcher() + " --config " + layout.configFile())
                .contains("User=" + layout.user()).contains("Group=" + layout.group())
                .contains("StateDirectory=" + layout.stateDirectory().substring("/var/lib/".length()))
                .contains("ConfigurationDirectory=" + layout.configDir().substring("/etc/".length()));
        List<String> groups = lines.stream().filter(l -> l.startsWith("SupplementaryGroups="))
                .flatMap(l -> Arrays.stream(l.substring("SupplementaryGroups=".length()).split("\\s+"))).toList();
        assertThat(groups).isNotEmpty();
        assertThat(layout.supplementaryGroups()).containsAll(groups);
    }
}

package tailflow.provisioner.ansiblecfg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnsibleConfigLoaderTest {

    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();

    private AnsibleConfigLoader loader(Map<String, String> env, Path cwd) {
        return new AnsibleConfigLoader(env, cwd, tmp.resolve("home"), warnings::add);
    }

    private Path write(String rel, String text) throws IOException {
        Path f = tmp.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    @Test
    void everySettingIsReadWithPathsResolvedAgainstTheFile() throws IOException {
        Path cfg = write("proj/ansible.cfg", """
                # lab defaults
                [defaults]
                inventory = inv/hosts.ini, ~/other.yml
                Remote_User = deploy ; who logs in
                forks=7
                host_key_checking = False
                private_key_file = keys/lab
                timeout: 15
                [privilege_escalation]
                become = yes
                become_user = root
                [ssh_connection]
                ssh_args = -C -o ControlMaster=auto -o 'ProxyJump=admin@bastion' -o UserKnownHostsFile=/tmp/kh
                """);
        AnsibleConfig c = loader(Map.of(), cfg.getParent()).load();
        assertThat(c.source()).contains(cfg);
        assertThat(c.inventory()).containsExactly(tmp.resolve("proj/inv/hosts.ini"), tmp.resolve("home/other.yml"));
        assertThat(c.remoteUser()).contains("deploy");
        assertThat(c.privateKeyFile()).contains(tmp.resolve("proj/keys/lab"));
        assertThat(c.forks()).contains(7);
        assertThat(c.hostKeyChecking()).contains(false);
        assertThat(c.timeout()).contains(15);
        assertThat(c.become()).contains(true);
        assertThat(c.becomeUser()).contains("root");
        assertThat(c.sshOption("proxyjump")).contains("admin@bastion");
        assertThat(c.sshOption("UserKnownHostsFile")).contains("/tmp/kh");
        assertThat(c.sshOption("ForwardAgent")).isEmpty();
    }

    @Test
    void theFirstFoundInAnsiblesOrderWins() throws IOException {
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        write("home/.ansible.cfg", "[defaults]\nremote_user = fromhome\n");
        assertThat(loader(Map.of(), cwd).load().remoteUser()).contains("fromhome");
        write("cwd/ansible.cfg", "[defaults]\nremote_user = fromcwd\n");
        assertThat(loader(Map.of(), cwd).load().remoteUser()).contains("fromcwd");
        Path envDir = Files.createDirectories(tmp.resolve("envdir"));
        write("envdir/ansible.cfg", "[defaults]\nremote_user = fromenv\n");
        assertThat(loader(Map.of("ANSIBLE_CONFIG", envDir.toString()), cwd).load().remoteUser()).contains("fromenv");
        assertThat(loader(Map.of("ANSIBLE_CONFIG", envDir.toString(), "ANSIBLE_REMOTE_USER", "override"), cwd).load().remoteUser())
                .contains("override");
    }

    @Test
    void aWorldWritableWorkingDirectoryIsNoSourceAndSaysSo() throws IOException {
        Path cwd = Files.createDirectories(tmp.resolve("shared"));
        write("shared/ansible.cfg", "[defaults]\nremote_user = planted\n");
        Files.setPosixFilePermissions(cwd, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(loader(Map.of(), cwd).load().remoteUser()).isEqualTo(Optional.empty());
        assertThat(warnings).singleElement().asString().contains("world writable");
    }

    @Test
    void badValuesNameTheirLine() throws IOException {
        Path cfg = write("p/ansible.cfg", "[defaults]\nforks = many\n");
        assertThatThrownBy(() -> loader(Map.of(), cfg.getParent()).load()).hasMessage(cfg + ":2: forks must be a positive integer, found 'many'");
        write("p/ansible.cfg", "[privilege_escalation]\nbecome = ture\n");
        assertThatThrownBy(() -> loader(Map.of(), cfg.getParent()).load()).hasMessageContaining(cfg + ":2: become: expected a boolean");
        write("p/ansible.cfg", "[privilege_escalation]\nbecome_user = postgres\n");
        assertThatThrownBy(() -> loader(Map.of(), cfg.getParent()).load()).hasMessageContaining("tailflow becomes root only");
        write("p/ansible.cfg", "remote_user = x\n");
        assertThatThrownBy(() -> loader(Map.of(), cfg.getParent()).load()).hasMessageContaining(":1: 'remote_user = x' comes before any [section]");
    }

    @Test
    void shellWordsAsShlexSplits() {
        assertThat(ShellWords.split("-o 'A=b c' -o \"D=\\\"e\\\"\" x\\ y")).containsExactly("-o", "A=b c", "-o", "D=\"e\"", "x y");
        assertThatThrownBy(() -> ShellWords.split("-o 'open")).hasMessageContaining("unterminated");
    }
}

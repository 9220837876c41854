package tailflow.systemtest.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tailflow.systemtest.hosts.HostImage;
import tailflow.systemtest.support.Command;
import tailflow.systemtest.support.CommandResult;
import tailflow.systemtest.support.Machine;
import tailflow.systemtest.support.Need;

/**
 * The provisioner reads inventories as Debian's ansible-core does: for the same files (INI, YAML,
 * an inventory script with and without {@code _meta}, a directory of sources, ansible.cfg's
 * inventory found from the working directory, {@code ANSIBLE_CONFIG} and the home directory),
 * {@code provisioner inventory --list/--graph/--host} prints exactly what {@code ansible-inventory}
 * prints, and {@code --limit} with subscripts picks the hosts {@code ansible --list-hosts} picks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnsibleParityIT {

    @TempDir
    static Path dir;

    private final String provisioner = HostImage.checkoutRoot().resolve("packaging/bin/provisioner").toString();

    @BeforeAll
    void fixtures() throws IOException {
        Machine.require(Need.ANSIBLE);
        write("ini/hosts.ini", """
                solo ansible_host=10.0.0.5

                [web]
                web[1:3] ansible_user=deploy
                db1

                [db]
                db1:2222 flag=true

                [lab:children]
                web
                db
                empty

                [empty]

                [lab:vars]
                tailflow_sampling=400
                labels={'rack': 'r1', 'n': 2}
                on=True
                """);
        write("ini/group_vars/all.yml", "env: lab\nlist: [1, 2.5, 'x']\nnested: {a: {b: null}}\n");
        write("ini/host_vars/web2.yml", "ansible_user: other\nunicode: \"gr\u00fc\u00dfe\"\n");
        write("dir/inv/10-static.yml", """
                all:
                  vars:
                    top: 1
                  children:
                    web:
                      hosts:
                        w1: {x: 1}
                        w2:
                    db:
                      hosts:
                        d1:
                """);
        script("dir/inv/20-script", """
                #!/bin/sh
                if [ "$1" = --list ]; then
                  echo '{"web": {"hosts": ["w3"], "vars": {"tier": "front"}}, "edge": ["e1", "e2"],'\\
                       ' "lab": {"children": ["edge"]}, "_meta": {"hostvars": {"w3": {"x": 3}, "e1": {"rack": "r1"}}}}'
                else echo '{}'; fi
                """);
        write("dir/inv/30-ignored.ini", "[db]\nd2\n");
        write("dir/inv/notes.md", "ghost\n");
        write("dir/inv/group_vars/web.yml", "port: 8080\n");
        write("dir/ansible.cfg", "[defaults]\ninventory = inv\n");
        script("nometa/inv.sh", """
                #!/bin/sh
                case "$1" in
                  --list) echo '{"app": {"hosts": ["a1", "a2"]}}' ;;
                  --host) echo "{\\"who\\": \\"$2\\"}" ;;
                esac
                """);
        write("envcfg/conf/ansible.cfg", "[defaults]\ninventory = ../hosts.yml\n");
        write("envcfg/hosts.yml", "all:\n  hosts:\n    from-env:\n");
        write("home/.ansible.cfg", "[defaults]\ninventory = ~/inv.ini\n");
        write("home/inv.ini", "from-home\n");
    }

    private void write(String rel, String text) throws IOException {
        Path f = dir.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private void script(String rel, String text) throws IOException {
        write(rel, text);
        Files.setPosixFilePermissions(dir.resolve(rel), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs {@code command} in {@code cwd} with HOME and the given environment (ANSIBLE_CONFIG unset unless given). */
    private CommandResult sh(String cwd, String env, String command) {
        return Command.shell("cd '" + dir.resolve(cwd) + "' && env -u ANSIBLE_CONFIG HOME='" + dir.resolve("home-empty") + "' "
                + env + " " + command).run();
    }

    private void same(String cwd, String env, String args) {
        CommandResult ansible = sh(cwd, env, "ansible-inventory " + args);
        CommandResult ours = sh(cwd, env, provisioner + " inventory " + args);
        assertThat(ansible.exitCode()).as("ansible-inventory %s: %s", args, ansible.stderr()).isZero();
        assertThat(ours.stdout()).as("provisioner inventory %s in %s (%s)", args, cwd, ours.stderr()).isEqualTo(ansible.stdout());
    }

    @Test
    void iniWithGroupAndHostVars() {
        for (String a : List.of("--list", "--graph", "--graph lab", "--host web2", "--host db1", "--host solo")) {
            same("ini", "", "-i hosts.ini " + a);
        }
    }

    @Test
    void aDirectoryWithAScriptFoundThroughTheWorkingDirectorysAnsibleCfg() {
        for (String a : List.of("--list", "--graph", "--host w3", "--host e1", "--host w1")) {
            same("dir", "", a);
        }
    }

    @Test
    void aScriptWithoutMetaIsAskedPerHost() {
        same("nometa", "", "-i inv.sh --list");
        same("nometa", "", "-i inv.sh --host a2");
    }

    @Test
    void ansibleConfigFromTheEnvironmentAndTheHomeDirectory() {
        same("ini", "ANSIBLE_CONFIG='" + dir.resolve("envcfg/conf") + "'", "--list");
        same("ini", "HOME='" + dir.resolve("home") + "'", "--graph");
    }

    @Test
    void subscriptsPickTheSameHosts() {
        for (String pattern : List.of("web[0]", "web[1:3]", "web[-1]", "web[1:]", "lab[2:0]", "web[0]:db", "lab[-2]",
                "web[1:2],solo", "all[0]")) {
            CommandResult ansible = sh("ini", "", "ansible -i hosts.ini '" + pattern + "' --list-hosts").requireOk();
            List<String> theirs = ansible.stdout().lines().skip(1).map(String::strip).sorted().toList();
            CommandResult ours = sh("ini", "", provisioner + " inventory -i hosts.ini --limit '" + pattern + "'");
            assertThat(ours.stdout().lines().sorted().toList()).as("%s (%s)", pattern, ours.stderr()).isEqualTo(theirs);
        }
    }

    static String lines(String... l) {
        return Arrays.stream(l).collect(Collectors.joining("\n"));
    }
}

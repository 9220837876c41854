package tailflow.provisioner.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InventoryLoaderTest {

    @TempDir
    Path dir;

    private Inventory load(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return InventoryLoader.load(f);
    }

    private void write(String rel, String text) throws IOException {
        Path f = dir.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private static InventoryHost host(Inventory inv, String name) {
        return inv.hosts().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void iniGroupsChildrenVarsRangesAndPorts() throws IOException {
        Inventory inv = load("lab.ini", """
                # the lab
                bastion ansible_host=192.0.2.1
                [web]
                web[a:c] ansible_user=deploy
                [db]
                db[01:03:2]:2222 ansible_become=true tailflow_labels="{'tier': 'db'}"
                [servers:children]
                web
                db
                [servers:vars]
                tailflow_loki_url=http://loki:3100/loki/api/v1/push
                ansible_user=admin
                """);
        assertThat(inv.hosts()).extracting(InventoryHost::name)
                .containsExactly("bastion", "weba", "webb", "webc", "db01", "db03");
        InventoryHost db = host(inv, "db03");
        assertThat(db.vars()).containsEntry("ansible_port", 2222).containsEntry("ansible_become", "true")
                .containsEntry("ansible_user", "admin").containsEntry("tailflow_labels", Map.of("tier", "db"));
        assertThat(db.groups()).containsExactly("all", "servers", "db");
        // a host line's var beats the group's
        assertThat(host(inv, "weba").vars()).containsEntry("ansible_user", "deploy");
        assertThat(inv.groupMembers().get("ungrouped")).containsExactly("bastion");
        assertThat(inv.groupMembers().get("servers")).hasSize(5);
    }

    @Test
    void yamlInventoryWithNestedChildren() throws IOException {
        Inventory inv = load("hosts.yml", """
                all:
                  vars:
                    tailflow_sampling: 400
                  hosts:
                    solo:
                  children:
                    lab:
                      vars: {tailflow_sampling: 100}
                      children:
                        edge:
                          hosts:
                            edge[1:2]:
                              ansible_host: 10.0.0.9
                            edge9:2200:
                """);
        assertThat(inv.hosts()).extracting(InventoryHost::name).containsExactly("solo", "edge1", "edge2", "edge9");
        assertThat(host(inv, "edge2").vars()).containsEntry("tailflow_sampling", 100).containsEntry("ansible_host", "10.0.0.9");
        assertThat(host(inv, "edge9").vars()).containsEntry("ansible_port", 2200);
        assertThat(host(inv, "solo").vars()).containsEntry("tailflow_sampling", 400);
        assertThat(host(inv, "edge1").groups()).containsExactly("all", "lab", "edge");
    }

    @Test
    void precedenceFollowsAnsible() throws IOException {
        write("group_vars/all.yml", "v_all: gv_all\nv_grp: gv_all\nv_host: gv_all\nv_file: gv_all\n");
        write("group_vars/parent.yml", "v_grp: gv_parent\n");
        write("group_vars/child/10-a.yml", "v_grp: gv_child_a\nv_dir: a\n");
        write("group_vars/child/20-b.yaml", "v_dir: b\n");
        write("host_vars/h1.yml", "v_host: hv\n");
        Inventory inv = load("inv.ini", """
                [child]
                h1 v_host=inline v_file=inline v_inline=inline
                [parent:children]
                child
                [all:vars]
                v_all=ini_all
                v_grp=ini_all
                [child:vars]
                v_grp=ini_child
                v_only_ini=ini_child
                """);
        Map<String, Object> v = host(inv, "h1").vars();
        // group_vars/all beats every inventory-file group var; group_vars/<child> beats group_vars/<parent>
        assertThat(v).containsEntry("v_all", "gv_all").containsEntry("v_grp", "gv_child_a")
                .containsEntry("v_dir", "b").containsEntry("v_only_ini", "ini_child")
                // inventory host vars beat group_vars, host_vars beat inventory host vars
                .containsEntry("v_file", "inline").containsEntry("v_host", "hv").containsEntry("v_inline", "inline");
    }

    @Test
    void extraVarsWinOverEverything() throws IOException {
        Path f = dir.resolve("i.ini");
        Files.writeString(f, "h1 x=1\n");
        assertThat(InventoryLoader.load(f, Map.of("x", "cli")).hosts().get(0).vars()).containsEntry("x", "cli");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("a.ini", "[web\nh1\n", 1, 1, "malformed section header"),
                Arguments.of("a.ini", "[web:bogus]\nh1\n", 1, 6, "unknown section type ':bogus'"),
                Arguments.of("a.ini", "[web]\nh1 ansible_port\n", 2, 4, "expected key=value after host 'h1'"),
                Arguments.of("a.ini", "[web]\nnode[01:x]\n", 2, 1, "neither a number"),
                Arguments.of("a.ini", "[web]\nnode[3:1]\n", 2, 1, "start after end"),
                Arguments.of("a.ini", "[web]\nh1 a='x\n", 2, 6, "unterminated"),
                Arguments.of("a.ini", "[web:vars]\njustaword\n", 2, 1, "expected key=value in [web:vars]"),
                Arguments.of("a.ini", "[web:children]\n  db extra\n", 2, 6, "names one group"),
                Arguments.of("a.ini", "ansible_user=x\n", 1, 1, "expected a host name"),
                Arguments.of("a.yml", "all:\n  hosts:\n    - h1\n", 3, 5, "hosts of group 'all' must be a mapping"),
                Arguments.of("a.yml", "all:\n  host:\n    h1:\n", 3, 5, "unknown key 'host'"),
                Arguments.of("a.yml", "all:\n  hosts:\n    h1: {a: 1\n", 4, 1, "invalid YAML"),
                Arguments.of("a.yml", "all:\n  vars: [1]\n", 2, 9, "vars of group 'all' must be a mapping"),
                Arguments.of("a.yml", "all:\n  hosts:\n    h1:\n    h1:\n", 4, 5, "duplicate key 'h1'"));
    }

    @ParameterizedTest(name = "{0}: {4}")
    @MethodSource("malformed")
    void malformedInventoriesNameFileLineAndColumn(String name, String text, int line, int column, String problem)
            throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        assertThatThrownBy(() -> InventoryLoader.load(f))
                .isInstanceOf(InventoryException.class)
                .hasMessageContaining(problem)
                .satisfies(e -> {
                    InventoryException ie = (InventoryException) e;
                    assertThat(ie.file()).isEqualTo(f);
                    assertThat(ie.line()).as("line").isEqualTo(line);
                    assertThat(ie.column()).as("column").isEqualTo(column);
                });
    }

    @Test
    void malformedGroupVarsFileIsLocated() throws IOException {
        write("group_vars/all.yml", "a: 1\nb: [\n");
        Path f = dir.resolve("i.ini");
        Files.writeString(f, "h1\n");
        assertThatThrownBy(() -> InventoryLoader.load(f)).isInstanceOf(InventoryException.class)
                .hasMessageStartingWith(dir.resolve("group_vars/all.yml") + ":3:1: invalid YAML");
    }

    @Test
    void childrenCycleIsRefused() throws IOException {
        assertThatThrownBy(() -> load("c.ini", "[a:children]\nb\n[b:children]\na\n"))
                .hasMessageContaining("group cycle");
    }

    @Test
    void limitByNameGroupGlobExclusionAndIntersection() throws IOException {
        Inventory inv = load("l.ini", "[web]\nweb[1:3]\n[db]\ndb1\nweb3\n");
        assertThat(names(HostLimit.select(inv, "db"))).containsExactly("web3", "db1");
        assertThat(names(HostLimit.select(inv, "web*"))).containsExactly("web1", "web2", "web3");
        assertThat(names(HostLimit.select(inv, "web,!web2"))).containsExactly("web1", "web3");
        assertThat(names(HostLimit.select(inv, "web:&db"))).containsExactly("web3");
        assertThat(names(HostLimit.select(inv, "db1,web1"))).containsExactly("web1", "db1");
        assertThat(names(HostLimit.select(inv, "~web[12]"))).containsExactly("web1", "web2");
        assertThat(names(HostLimit.select(inv, "!db"))).containsExactly("web1", "web2");
        assertThatThrownBy(() -> HostLimit.select(inv, "nosuch")).hasMessageContaining("'nosuch' matches no host");
    }

    private static List<String> names(List<InventoryHost> hosts) {
        return hosts.stream().map(InventoryHost::name).toList();
    }
}

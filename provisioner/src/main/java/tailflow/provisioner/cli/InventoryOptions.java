package tailflow.provisioner.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import tailflow.provisioner.inventory.HostLimit;
import tailflow.provisioner.inventory.Inventory;
import tailflow.provisioner.inventory.InventoryHost;
import tailflow.provisioner.inventory.InventoryLoader;

/** {@code -i}, {@code --limit}, {@code -e}: which hosts, with which variables. */
public final class InventoryOptions {

    @Option(names = {"-i", "--inventory"}, paramLabel = "SOURCE",
            description = {"Ansible inventory: INI or YAML file, executable inventory script, or a directory of them (repeatable);",
                    "group_vars/ and host_vars/ beside it are read. Default: ansible.cfg's inventory, else /etc/ansible/hosts"})
    List<Path> inventory = List.of();

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
            description = "hosts, groups or globs, separated by ',' or ':'; '!x' excludes, '&x' intersects")
    String limit;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "KEY=VALUE",
            description = "variables with the highest precedence (repeatable)")
    List<String> extraVars = List.of();

    List<InventoryHost> select() {
        List<InventoryHost> hosts = HostLimit.select(load(), limit);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException(sources() + ": no hosts selected");
        }
        return hosts;
    }

    /** The whole inventory, before --limit. */
    Inventory load() {
        Map<String, Object> extra = new LinkedHashMap<>();
        for (String kv : extraVars) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("-e " + kv + ": expected KEY=VALUE");
            }
            extra.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return InventoryLoader.load(sources(), extra, java.util.Optional.of(Path.of("").toAbsolutePath()));
    }

    /** -i, else ansible.cfg's inventory, else Ansible's default /etc/ansible/hosts if it exists. */
    List<Path> sources() {
        if (!inventory.isEmpty()) {
            return inventory;
        }
        List<Path> fromConfig = AnsibleDefaults.load().inventory();
        if (!fromConfig.isEmpty()) {
            return fromConfig;
        }
        Path etc = Path.of("/etc/ansible/hosts");
        return java.nio.file.Files.exists(etc) ? List.of(etc) : List.of();
    }
}

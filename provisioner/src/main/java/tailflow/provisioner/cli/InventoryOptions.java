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

    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "FILE",
            description = "Ansible inventory (INI or YAML); group_vars/ and host_vars/ beside it are read")
    Path inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
            description = "hosts, groups or globs, separated by ',' or ':'; '!x' excludes, '&x' intersects")
    String limit;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "KEY=VALUE",
            description = "variables with the highest precedence (repeatable)")
    List<String> extraVars = List.of();

    List<InventoryHost> select() {
        Map<String, Object> extra = new LinkedHashMap<>();
        for (String kv : extraVars) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("-e " + kv + ": expected KEY=VALUE");
            }
            extra.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Inventory inv = InventoryLoader.load(inventory, extra);
        List<InventoryHost> hosts = HostLimit.select(inv, limit);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException(inventory + ": no hosts selected");
        }
        return hosts;
    }
}

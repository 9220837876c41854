package tailflow.provisioner.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A resolved inventory: hosts in file order with merged vars, and every group's full member set
 * (including members of child groups), for {@code --limit}.
 */
public record Inventory(Path source, List<InventoryHost> hosts, Map<String, Set<String>> groupMembers) {

    public Inventory {
        hosts = List.copyOf(hosts);
        groupMembers = Map.copyOf(groupMembers);
    }
}

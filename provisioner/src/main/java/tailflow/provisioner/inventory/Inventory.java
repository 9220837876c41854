package tailflow.provisioner.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A resolved inventory: hosts in file order with merged vars, every group's full member set
 * (including members of child groups) for {@code --limit}, and the group tree as Ansible
 * reconciles it (for {@code inventory --list/--graph}): each group's own hosts and child groups in
 * the order they were written, {@code all} parenting {@code ungrouped} and every group without
 * another parent, {@code ungrouped} holding the hosts of no other group.
 */
public record Inventory(Path source, List<InventoryHost> hosts, Map<String, Set<String>> groupMembers,
                        Map<String, Group> groups) {

    /** One group of the tree: direct hosts and child groups, in order. */
    public record Group(List<String> hosts, List<String> children) {
        public Group {
            hosts = List.copyOf(hosts);
            children = List.copyOf(children);
        }
    }

    public Inventory {
        hosts = List.copyOf(hosts);
        groupMembers = Map.copyOf(groupMembers);
        groups = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(groups));
    }

    public java.util.Optional<InventoryHost> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }
}

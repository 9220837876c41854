package tailflow.provisioner.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges variables for each host in Ansible's order, lowest first:
 * inventory-file group vars (groups by depth, then name; {@code all} first), {@code group_vars/all},
 * {@code group_vars/<group>} (same order), inventory-file host vars, {@code host_vars/<host>},
 * then extra vars ({@code -e}). A later layer replaces a key wholesale (no deep merge, as Ansible's default).
 */
final class VariableResolver {

    private final Path inventoryFile;
    private final RawInventory raw;
    private final List<VarsDirectories> groupVars = new ArrayList<>();
    private final List<VarsDirectories> hostVars = new ArrayList<>();

    /**
     * @param varsBases directories whose {@code group_vars/} and {@code host_vars/} apply (each
     *                  source's own directory, in source order: a later one wins)
     */
    VariableResolver(Path inventoryFile, RawInventory raw, List<Path> varsBases) {
        this.inventoryFile = inventoryFile;
        this.raw = raw;
        for (Path dir : varsBases) {
            groupVars.add(new VarsDirectories(dir.resolve("group_vars")));
            hostVars.add(new VarsDirectories(dir.resolve("host_vars")));
        }
    }

    Inventory resolve(Map<String, Object> extraVars) {
        Map<String, Integer> depth = depths();
        Map<String, Set<String>> members = new LinkedHashMap<>();
        for (String g : raw.groups.keySet()) {
            members.put(g, membersOf(g, new LinkedHashSet<>()));
        }
        // Hosts only in 'all' are 'ungrouped', as in Ansible.
        Set<String> ungrouped = members.get(RawInventory.UNGROUPED);
        for (String host : raw.hostVars.keySet()) {
            boolean inOther = members.entrySet().stream().anyMatch(e -> !e.getKey().equals(RawInventory.ALL)
                    && !e.getKey().equals(RawInventory.UNGROUPED) && e.getValue().contains(host));
            if (!inOther) {
                ungrouped.add(host);
            }
        }
        members.get(RawInventory.ALL).addAll(raw.hostVars.keySet());

        Map<String, Map<String, Object>> groupVarsCache = new HashMap<>();
        Map<String, Map<String, String>> groupOriginsCache = new HashMap<>();
        List<InventoryHost> hosts = new ArrayList<>();
        for (String host : raw.hostVars.keySet()) {
            List<String> groups = members.entrySet().stream()
                    .filter(e -> e.getValue().contains(host))
                    .map(Map.Entry::getKey)
                    .sorted(Comparator.comparing((String g) -> depth.getOrDefault(g, 0)).thenComparing(g -> g))
                    .toList();
            Map<String, Object> vars = new LinkedHashMap<>();
            Map<String, String> origins = new LinkedHashMap<>();
            for (String g : groups) {
                vars.putAll(raw.groups.get(g).vars);
                origins.putAll(raw.groups.get(g).origins);
            }
            List<String> fileGroups = new ArrayList<>(List.of(RawInventory.ALL));
            groups.stream().filter(g -> !g.equals(RawInventory.ALL)).forEach(fileGroups::add);
            for (String g : fileGroups) {
                Map<String, String> o = groupOriginsCache.computeIfAbsent(g, k -> new LinkedHashMap<>());
                vars.putAll(groupVarsCache.computeIfAbsent(g, k -> {
                    Map<String, Object> merged = new LinkedHashMap<>();
                    groupVars.forEach(d -> merged.putAll(d.varsFor(k, o)));
                    return merged;
                }));
                origins.putAll(o);
            }
            vars.putAll(raw.hostVars.get(host));
            origins.putAll(raw.hostOrigins.getOrDefault(host, Map.of()));
            for (VarsDirectories d : hostVars) {
                vars.putAll(d.varsFor(host, origins));
            }
            vars.putAll(extraVars);
            extraVars.keySet().forEach(k -> origins.put(k, "extra vars (-e)"));
            hosts.add(new InventoryHost(host, groups, vars, origins));
        }
        Map<String, Set<String>> frozen = new LinkedHashMap<>();
        members.forEach((g, m) -> frozen.put(g, Set.copyOf(m)));
        return new Inventory(inventoryFile, hosts, frozen, tree(members));
    }

    /** Ansible's reconciled tree (InventoryData.reconcile_inventory). */
    private Map<String, Inventory.Group> tree(Map<String, Set<String>> members) {
        Set<String> parented = new LinkedHashSet<>();
        raw.groups.values().forEach(g -> parented.addAll(g.children));
        Map<String, Inventory.Group> tree = new LinkedHashMap<>();
        for (RawInventory.Group g : raw.groups.values()) {
            List<String> children = new ArrayList<>(g.children);
            List<String> hosts = new ArrayList<>(g.hosts);
            if (g.name.equals(RawInventory.ALL)) {
                hosts.clear();
                if (!children.contains(RawInventory.UNGROUPED)) {
                    children.add(0, RawInventory.UNGROUPED);
                }
                raw.groups.keySet().stream().filter(n -> !n.equals(RawInventory.ALL) && !parented.contains(n)
                        && !children.contains(n)).forEach(children::add);
            } else if (g.name.equals(RawInventory.UNGROUPED)) {
                hosts = raw.hostVars.keySet().stream().filter(members.get(RawInventory.UNGROUPED)::contains)
                        .filter(h -> raw.groups.values().stream().noneMatch(o -> !o.name.equals(RawInventory.UNGROUPED)
                                && !o.name.equals(RawInventory.ALL) && o.hosts.contains(h)))
                        .toList();
            }
            tree.put(g.name, new Inventory.Group(hosts, children));
        }
        return tree;
    }

    private Set<String> membersOf(String group, Set<String> path) {
        if (!path.add(group)) {
            throw new InventoryException(inventoryFile, 1, 1, "group cycle through children: "
                    + String.join(" -> ", path) + " -> " + group);
        }
        Set<String> out = new LinkedHashSet<>(raw.groups.get(group).hosts);
        for (String child : raw.groups.get(group).children) {
            out.addAll(membersOf(child, path));
        }
        path.remove(group);
        return out;
    }

    /** A group's depth is its longest distance from {@code all}: children override parents. */
    private Map<String, Integer> depths() {
        Map<String, Integer> depth = new HashMap<>();
        for (String g : raw.groups.keySet()) {
            depth.put(g, 1);
        }
        depth.put(RawInventory.ALL, 0);
        // Longest path in a DAG; at most |groups| relaxation rounds (cycles are caught above).
        for (int round = 0; round < raw.groups.size(); round++) {
            boolean changed = false;
            for (RawInventory.Group g : raw.groups.values()) {
                for (String c : g.children) {
                    if (depth.get(c) < depth.get(g.name) + 1) {
                        depth.put(c, depth.get(g.name) + 1);
                        changed = true;
                    }
                }
            }
            if (!changed) {
                break;
            }
        }
        return depth;
    }
}

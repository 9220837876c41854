package tailflow.provisioner.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ansible-inventory} prints for an inventory: {@code --list} (groups with
 * {@code hosts} and {@code children}, {@code _meta.hostvars}), {@code --graph [GROUP]} and
 * {@code --host NAME}, in its text, so tooling built on it reads ours.
 */
public final class AnsibleInventoryView {

    private final Inventory inventory;

    public AnsibleInventoryView(Inventory inventory) {
        this.inventory = inventory;
    }

    public String list() {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> hostvars = new LinkedHashMap<>();
        inventory.hosts().forEach(h -> hostvars.put(h.name(), h.vars()));
        doc.put("_meta", Map.of("hostvars", hostvars));
        addGroup(RawInventory.ALL, doc, new LinkedHashSet<>());
        return PythonJson.write(doc);
    }

    /** ansible-inventory's format_group: a group with neither hosts nor children is left out (but still named by its parent). */
    private void addGroup(String name, Map<String, Object> doc, Set<String> seen) {
        seen.add(name);
        Inventory.Group g = inventory.groups().get(name);
        Map<String, Object> entry = new LinkedHashMap<>();
        if (!name.equals(RawInventory.ALL) && !g.hosts().isEmpty()) {
            entry.put("hosts", g.hosts());
        }
        if (!g.children().isEmpty()) {
            entry.put("children", g.children());
        }
        if (!entry.isEmpty()) {
            doc.put(name, entry);
        }
        for (String child : g.children()) {
            if (!seen.contains(child)) {
                addGroup(child, doc, seen);
            }
        }
    }

    public String graph(String group) {
        if (!inventory.groups().containsKey(group)) {
            throw new IllegalArgumentException("Pattern must be valid group name when using --graph: " + group);
        }
        List<String> lines = new ArrayList<>();
        graph(group, 0, lines);
        return String.join("\n", lines);
    }

    private void graph(String name, int depth, List<String> lines) {
        lines.add(prefix(depth) + "@" + name + ":");
        Inventory.Group g = inventory.groups().get(name);
        for (String child : g.children()) {
            graph(child, depth + 1, lines);
        }
        if (!name.equals(RawInventory.ALL)) {
            g.hosts().forEach(h -> lines.add(prefix(depth + 1) + h));
        }
    }

    private static String prefix(int depth) {
        return depth == 0 ? "" : "  |".repeat(depth) + "--";
    }

    public String host(String name) {
        InventoryHost h = inventory.host(name).orElseThrow(() -> new IllegalArgumentException("You must pass a single valid host to --host parameter"));
        return PythonJson.write(h.vars());
    }
}

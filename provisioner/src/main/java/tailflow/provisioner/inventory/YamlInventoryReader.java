package tailflow.provisioner.inventory;

import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads Ansible's YAML inventory: top-level groups (usually {@code all}), each with optional
 * {@code hosts} (name -> vars), {@code vars} and {@code children} (name -> group), recursively.
 */
final class YamlInventoryReader {

    private static final Set<String> GROUP_KEYS = Set.of("hosts", "vars", "children");

    private final YamlNodes yaml;

    YamlInventoryReader(YamlNodes yaml) {
        this.yaml = yaml;
    }

    RawInventory read() {
        RawInventory inv = new RawInventory();
        Node root = yaml.read();
        if (YamlNodes.isNull(root)) {
            return inv;
        }
        for (Map.Entry<String, Node> e : yaml.entries(yaml.mapping(root, "a YAML inventory")).entrySet()) {
            readGroup(inv, e.getKey(), e.getValue(), null);
        }
        return inv;
    }

    private void readGroup(RawInventory inv, String name, Node node, String parent) {
        RawInventory.Group group = inv.group(name);
        if (parent != null) {
            if (parent.equals(name)) {
                throw yaml.error(node, "group '" + name + "' cannot be its own child");
            }
            inv.group(parent).children.add(name);
        }
        if (YamlNodes.isNull(node)) {
            return;
        }
        Map<String, Node> keys = yaml.entries(yaml.mapping(node, "group '" + name + "'"));
        for (Map.Entry<String, Node> e : keys.entrySet()) {
            if (!GROUP_KEYS.contains(e.getKey())) {
                throw yaml.error(e.getValue(), "unknown key '" + e.getKey() + "' in group '" + name
                        + "' (a group has hosts, vars and children; is '" + e.getKey() + "' a host missing 'hosts:'?)");
            }
        }
        group.vars.putAll(yaml.vars(keys.get("vars"), "vars of group '" + name + "'"));
        group.origins.putAll(yaml.origins(keys.get("vars")));
        Node hosts = keys.get("hosts");
        if (!YamlNodes.isNull(hosts)) {
            MappingNode hostMap = yaml.mapping(hosts, "hosts of group '" + name + "'");
            for (Map.Entry<String, Node> h : yaml.entries(hostMap).entrySet()) {
                Map<String, Object> vars = yaml.vars(h.getValue(), "vars of host '" + h.getKey() + "'");
                Map<String, String> origins = yaml.origins(h.getValue());
                String pattern = h.getKey();
                Integer hostPort = null;
                int colon = pattern.lastIndexOf(':');
                if (colon > 0 && pattern.substring(colon + 1).matches("\\d+") && !pattern.endsWith("]")) {
                    hostPort = Integer.parseInt(pattern.substring(colon + 1));
                    pattern = pattern.substring(0, colon);
                }
                try {
                    for (String host : HostRange.expand(pattern)) {
                        inv.addHost(name, host, vars, origins, vars.containsKey("ansible_port") ? null : hostPort,
                                yaml.where(hosts));
                    }
                } catch (IllegalArgumentException ex) {
                    throw yaml.error(h.getValue() == null ? hosts : h.getValue(), ex.getMessage());
                }
            }
        }
        Node children = keys.get("children");
        if (!YamlNodes.isNull(children)) {
            for (Map.Entry<String, Node> c : yaml.entries(yaml.mapping(children, "children of group '" + name + "'")).entrySet()) {
                readGroup(inv, c.getKey(), c.getValue(), name);
            }
        }
    }
}

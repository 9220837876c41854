package tailflow.provisioner.inventory;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * An inventory as written, before variables are merged: groups with their direct hosts,
 * children and vars, and each host's own vars. Both the INI and the YAML reader fill one of
 * these; {@link VariableResolver} turns it into resolved hosts. Mutable while a reader fills it.
 */
final class RawInventory {

    static final String ALL = "all";
    static final String UNGROUPED = "ungrouped";

    /** A group as written: insertion-ordered so output follows the file. */
    static final class Group {
        final String name;
        final Set<String> hosts = new LinkedHashSet<>();
        final Set<String> children = new LinkedHashSet<>();
        final Map<String, Object> vars = new LinkedHashMap<>();
        /** Where each var was written ({@code file:line:column}), for errors about its value. */
        final Map<String, String> origins = new LinkedHashMap<>();

        Group(String name) {
            this.name = name;
        }
    }

    final Map<String, Group> groups = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();
    final Map<String, Map<String, String>> hostOrigins = new LinkedHashMap<>();

    RawInventory() {
        group(ALL);
        group(UNGROUPED);
        group(ALL).children.add(UNGROUPED);
    }

    Group group(String name) {
        return groups.computeIfAbsent(name, Group::new);
    }

    /** Adds another source's groups, hosts and vars to these; on the same key the other source wins (it comes later). */
    void merge(RawInventory other) {
        for (Group g : other.groups.values()) {
            Group mine = group(g.name);
            mine.hosts.addAll(g.hosts);
            mine.children.addAll(g.children);
            mine.vars.putAll(g.vars);
            mine.origins.putAll(g.origins);
        }
        other.hostVars.forEach((h, v) -> hostVars.computeIfAbsent(h, k -> new LinkedHashMap<>()).putAll(v));
        other.hostOrigins.forEach((h, o) -> hostOrigins.computeIfAbsent(h, k -> new LinkedHashMap<>()).putAll(o));
    }

    /**
     * Adds a host with the port of a {@code host:port} definition: as in Ansible, the port counts
     * only where the host is first defined (later definitions' ports are ignored).
     */
    void addHost(String group, String host, Map<String, Object> vars, Map<String, String> origins, Integer port, String portOrigin) {
        if (port != null && !hostVars.containsKey(host)) {
            addHost(group, host, Map.of("ansible_port", port), Map.of("ansible_port", portOrigin));
        }
        addHost(group, host, vars, origins);
    }

    /** Adds a host to a group (and to the inventory); later definitions of the same host merge their vars. */
    void addHost(String group, String host, Map<String, Object> vars, Map<String, String> origins) {
        hostVars.computeIfAbsent(host, h -> new LinkedHashMap<>()).putAll(vars);
        hostOrigins.computeIfAbsent(host, h -> new LinkedHashMap<>()).putAll(origins);
        group(group).hosts.add(host);
    }
}

package tailflow.provisioner.inventory;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's host patterns for {@code --limit}: names, group names and globs separated by
 * {@code ,} or {@code :}; {@code &pattern} intersects, {@code !pattern} excludes, {@code ~regex}
 * matches by regular expression; a subscript picks by position in the group, as Ansible does:
 * {@code web[0]}, {@code web[-1]}, {@code web[1:3]} (inclusive), {@code web[2:]}. Patterns split on
 * {@code ,}, or on {@code :} outside brackets when there is no comma. Order of the result follows
 * the inventory.
 */
public final class HostLimit {

    private HostLimit() {}

    /** @throws IllegalArgumentException when a pattern matches nothing (a typo should not silently do nothing) */
    public static List<InventoryHost> select(Inventory inventory, String limit) {
        if (limit == null || limit.isBlank()) {
            return inventory.hosts();
        }
        Set<String> union = new LinkedHashSet<>();
        List<Set<String>> intersections = new ArrayList<>();
        Set<String> excluded = new LinkedHashSet<>();
        boolean anyPositive = false;
        for (String raw : split(limit)) {
            String p = raw.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.startsWith("!")) {
                excluded.addAll(match(inventory, p.substring(1)));
            } else if (p.startsWith("&")) {
                intersections.add(match(inventory, p.substring(1)));
            } else {
                Set<String> m = match(inventory, p);
                if (m.isEmpty()) {
                    throw new IllegalArgumentException("--limit pattern '" + p + "' matches no host or group");
                }
                union.addAll(m);
                anyPositive = true;
            }
        }
        if (!anyPositive) {
            union.addAll(inventory.groupMembers().getOrDefault("all", Set.of()));
        }
        for (Set<String> i : intersections) {
            union.retainAll(i);
        }
        union.removeAll(excluded);
        return inventory.hosts().stream().filter(h -> union.contains(h.name())).toList();
    }

    /** Ansible's split_host_pattern: commas if any, else colons that are not inside [...]. */
    static List<String> split(String limit) {
        if (limit.contains(",")) {
            return List.of(limit.split(","));
        }
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (char c : limit.toCharArray()) {
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth = Math.max(0, depth - 1);
            }
            if (c == ':' && depth == 0) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]$");

    private static Set<String> match(Inventory inventory, String pattern) {
        Matcher sub = pattern.startsWith("~") ? null : SUBSCRIPT.matcher(pattern);
        if (sub != null && sub.matches()) {
            List<String> hosts = new ArrayList<>(enumerate(inventory, sub.group(1)));
            return new LinkedHashSet<>(subscript(hosts, sub, pattern));
        }
        return enumerate(inventory, pattern);
    }

    /** _apply_subscript: [i] one host (negative from the end), [a:b] a through b inclusive, [a:] to the end. */
    private static List<String> subscript(List<String> hosts, Matcher m, String pattern) {
        if (hosts.isEmpty()) {
            return hosts;
        }
        try {
            if (m.group(2) != null || m.group(5).equals("0")) {
                int i = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(3));
                return List.of(hosts.get(i < 0 ? hosts.size() + i : i));
            }
            int start = Integer.parseInt(m.group(3));
            int end = m.group(5).isEmpty() ? hosts.size() - 1 : Integer.parseInt(m.group(5));
            return start > end ? List.of() : hosts.subList(Math.min(start, hosts.size()), Math.min(end + 1, hosts.size()));
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--limit pattern '" + pattern + "': no host at that position ("
                    + hosts.size() + " host(s) match '" + m.group(1) + "')");
        }
    }

    /** A group's hosts in Ansible's get_hosts order: its own, then each child group's, breadth first, each once. */
    private static List<String> groupHosts(Inventory inventory, String group) {
        List<String> out = new ArrayList<>();
        List<String> order = new ArrayList<>(List.of(group));
        for (int i = 0; i < order.size(); i++) {
            Inventory.Group g = inventory.groups().get(order.get(i));
            if (g == null) {
                continue;
            }
            List<String> own = order.get(i).equals("all") ? inventory.hosts().stream().map(InventoryHost::name).toList() : g.hosts();
            own.stream().filter(h -> !out.contains(h)).forEach(out::add);
            g.children().stream().filter(c -> !order.contains(c)).forEach(order::add);
        }
        return out;
    }

    private static Set<String> enumerate(Inventory inventory, String pattern) {
        Set<String> out = new LinkedHashSet<>();
        java.util.function.Predicate<String> matches;
        if (pattern.startsWith("~")) {
            Pattern regex = Pattern.compile(pattern.substring(1));
            matches = s -> regex.matcher(s).find();
        } else if (pattern.contains("*") || pattern.contains("?") || pattern.contains("[")) {
            PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            matches = s -> glob.matches(Path.of(s.replace('/', '_')));
        } else {
            matches = pattern::equals;
        }
        inventory.groups().keySet().forEach(group -> {
            if (matches.test(group)) {
                out.addAll(groupHosts(inventory, group));
            }
        });
        for (InventoryHost h : inventory.hosts()) {
            if (matches.test(h.name())) {
                out.add(h.name());
            }
        }
        return out;
    }
}

package tailflow.provisioner.inventory;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ansible's host patterns for {@code --limit}: names, group names and globs separated by
 * {@code ,} or {@code :}; {@code &pattern} intersects, {@code !pattern} excludes, {@code ~regex}
 * matches by regular expression. Order of the result follows the inventory.
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
        for (String raw : limit.split("[,:]")) {
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

    private static Set<String> match(Inventory inventory, String pattern) {
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
        inventory.groupMembers().forEach((group, members) -> {
            if (matches.test(group)) {
                out.addAll(members);
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

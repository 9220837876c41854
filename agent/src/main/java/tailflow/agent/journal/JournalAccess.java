package tailflow.agent.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which journal directories and files a job would read, and for each one that this process
 * cannot read, why (typically: the files belong to group systemd-journal and the agent's user is
 * not in it). For the dry-run and the "cannot read" log line.
 */
public final class JournalAccess {
    /** Where journald keeps the system journal: persistent, then volatile. */
    public static final List<Path> SYSTEM_DIRS = List.of(Path.of("/var/log/journal"), Path.of("/run/log/journal"));

    private final Set<Integer> groups;

    /** @param groups this process's group ids (real, effective and supplementary) */
    public JournalAccess(Set<Integer> groups) {
        this.groups = Set.copyOf(groups);
    }

    /** This process's groups, from /proc/self/status ({@code Gid:} and {@code Groups:}). */
    public static JournalAccess ofThisProcess() {
        Set<Integer> g = new HashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Gid:") || line.startsWith("Groups:")) {
                    for (String n : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                        if (!n.isEmpty()) {
                            g.add(Integer.parseInt(n));
                        }
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux or no /proc: the report then only says readable or not
        }
        return new JournalAccess(g);
    }

    /** Per directory: "missing", or its journal files each with "readable" or why not. */
    public Map<String, Object> report(List<Path> dirs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                out.put(dir.toString(), "missing (journald keeps nothing here)");
                continue;
            }
            if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
                out.put(dir.toString(), "not readable: " + why(dir));
                continue;
            }
            Map<String, String> files = new LinkedHashMap<>();
            try (Stream<Path> s = Files.walk(dir, 2)) {
                for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".journal")).sorted().toList()) {
                    files.put(f.toString(), Files.isReadable(f) ? "readable" : "not readable: " + why(f));
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                out.put(dir.toString(), "cannot list: " + e.getMessage());
                continue;
            }
            out.put(dir.toString(), files.isEmpty() ? "no journal files" : files);
        }
        return out;
    }

    /** The files of {@code dirs} this process cannot read, with why; empty when all can be read. */
    public List<String> unreadable(List<Path> dirs) {
        List<String> out = new ArrayList<>();
        report(dirs).forEach((dir, v) -> {
            if (v instanceof String s && s.startsWith("not readable")) {
                out.add(dir + ": " + s);
            } else if (v instanceof Map<?, ?> files) {
                files.forEach((f, why) -> {
                    if (!"readable".equals(why)) {
                        out.add(f + ": " + why);
                    }
                });
            }
        });
        return out;
    }

    private String why(Path p) {
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
            int gid = (Integer) Files.getAttribute(p, "unix:gid");
            String owner = a.owner().getName() + ":" + a.group().getName() + " "
                    + PosixFilePermissions.toString(a.permissions());
            if (!groups.isEmpty() && !groups.contains(gid)) {
                return "owned by " + owner + " and this process is not in group " + a.group().getName()
                        + " (run the agent with SupplementaryGroups=" + a.group().getName() + ", as the tailflow unit does,"
                        + " or add its user to the group)";
            }
            return "owned by " + owner;
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return "permission denied";
        }
    }
}

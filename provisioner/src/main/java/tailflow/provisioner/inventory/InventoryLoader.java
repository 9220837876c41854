package tailflow.provisioner.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads inventory sources as Ansible does and resolves vars: a file is an executable inventory
 * script, YAML (by extension, or by content: a first key line ending in ':') or INI; a directory
 * is every entry in it, sorted by name, recursively, except hidden entries, {@code group_vars},
 * {@code host_vars} and Ansible's ignored extensions (.ini among them). Sources merge in order,
 * a later one winning on the same variable; {@code group_vars/} and {@code host_vars/} are read
 * beside each source (inside a directory source) and, as ansible-inventory does, in the playbook
 * directory (the working directory), which wins over the sources' on the same group.
 */
public final class InventoryLoader {

    /** ansible-core's INVENTORY_IGNORE_EXTS default, and the entries it always skips. */
    private static final Pattern IGNORED = Pattern.compile(
            "^\\.|^host_vars$|^group_vars$|^vars_plugins$|(\\.pyc|\\.pyo|\\.swp|\\.bak|~|\\.rpm|\\.md|\\.txt|\\.rst|\\.orig|\\.ini|\\.cfg|\\.retry)$");

    private InventoryLoader() {}

    public static Inventory load(Path file, Map<String, Object> extraVars) {
        return load(List.of(file), extraVars);
    }

    public static Inventory load(Path file) {
        return load(file, Map.of());
    }

    public static Inventory load(List<Path> sources, Map<String, Object> extraVars) {
        return load(sources, extraVars, java.util.Optional.empty());
    }

    public static Inventory load(List<Path> sources, Map<String, Object> extraVars, java.util.Optional<Path> playbookDir) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no inventory: give -i FILE or set inventory in ansible.cfg");
        }
        RawInventory raw = new RawInventory();
        Set<Path> varsBases = new LinkedHashSet<>();
        for (Path source : sources) {
            if (Files.isDirectory(source)) {
                varsBases.add(source.toAbsolutePath().normalize());
                for (Path f : filesOf(source)) {
                    raw.merge(readFile(f));
                }
            } else {
                if (!Files.isRegularFile(source)) {
                    throw new InventoryException(source, 1, 1, "no such inventory file");
                }
                varsBases.add(source.toAbsolutePath().normalize().getParent());
                raw.merge(readFile(source));
            }
        }
        playbookDir.map(p -> p.toAbsolutePath().normalize()).ifPresent(varsBases::add);
        return new VariableResolver(sources.get(0), raw, new ArrayList<>(varsBases)).resolve(extraVars);
    }

    /** A directory's inventory files, in Ansible's order. */
    private static List<Path> filesOf(Path dir) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                if (IGNORED.matcher(p.getFileName().toString()).find()) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    out.addAll(filesOf(p));
                } else if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list inventory directory " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static RawInventory readFile(Path file) {
        if (Files.isExecutable(file) && !isYaml(file)) {
            return new ScriptInventoryReader(file).read();
        }
        if (isYaml(file)) {
            return new YamlInventoryReader(new YamlNodes(file)).read();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InventoryException(file, 1, 1, "cannot read: " + e.getMessage());
        }
        return new IniInventoryReader(file).read(lines);
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".yml") || name.endsWith(".yaml") || name.endsWith(".json")) {
            return true;
        }
        if (name.endsWith(".ini")) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#") || s.equals("---")) {
                    continue;
                }
                return s.matches("[A-Za-z0-9_-]+:\\s*(#.*)?");
            }
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
        return false;
    }
}

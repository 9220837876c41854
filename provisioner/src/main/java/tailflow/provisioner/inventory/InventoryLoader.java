package tailflow.provisioner.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads an INI or YAML inventory (by extension, or by content: a first key line ending in ':'), then resolves vars. */
public final class InventoryLoader {

    private InventoryLoader() {}

    public static Inventory load(Path file, Map<String, Object> extraVars) {
        if (!Files.isRegularFile(file)) {
            throw new InventoryException(file, 1, 1, "no such inventory file");
        }
        RawInventory raw;
        if (isYaml(file)) {
            raw = new YamlInventoryReader(new YamlNodes(file)).read();
        } else {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InventoryException(file, 1, 1, "cannot read: " + e.getMessage());
            }
            raw = new IniInventoryReader(file).read(lines);
        }
        return new VariableResolver(file, raw).resolve(extraVars);
    }

    public static Inventory load(Path file) {
        return load(file, Map.of());
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
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}

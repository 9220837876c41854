package tailflow.provisioner.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code group_vars/} and {@code host_vars/} beside the inventory: per name either a file
 * ({@code NAME}, {@code NAME.yml}, {@code NAME.yaml}, {@code NAME.json}) or a directory
 * {@code NAME/} whose files are merged in lexical order, as Ansible does.
 */
final class VarsDirectories {

    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    private final Path dir;

    VarsDirectories(Path dir) {
        this.dir = dir;
    }

    /** The vars for {@code name}; where each was written goes to {@code origins}. */
    Map<String, Object> varsFor(String name, Map<String, String> origins) {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return vars;
        }
        for (String ext : EXTENSIONS) {
            Path candidate = dir.resolve(name + ext);
            if (Files.isRegularFile(candidate)) {
                readFile(candidate, vars, origins);
            }
        }
        Path sub = dir.resolve(name);
        if (Files.isDirectory(sub)) {
            try (Stream<Path> files = Files.list(sub)) {
                for (Path f : files.filter(Files::isRegularFile).filter(VarsDirectories::isVarsFile).sorted().toList()) {
                    readFile(f, vars, origins);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vars;
    }

    private static boolean isVarsFile(Path f) {
        String n = f.getFileName().toString();
        return !n.startsWith(".") && (n.endsWith(".yml") || n.endsWith(".yaml") || n.endsWith(".json") || !n.contains("."));
    }

    private static void readFile(Path file, Map<String, Object> vars, Map<String, String> origins) {
        YamlNodes yaml = new YamlNodes(file);
        var root = yaml.read();
        vars.putAll(yaml.vars(root, "a vars file"));
        origins.putAll(yaml.origins(root));
    }
}

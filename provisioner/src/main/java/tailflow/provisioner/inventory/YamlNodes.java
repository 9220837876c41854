package tailflow.provisioner.inventory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML read as a node tree so every complaint can name file:line:column. Values are converted
 * with YAML's core schema (ints, floats, booleans, null, strings, lists, maps).
 */
final class YamlNodes {

    private final Path file;

    YamlNodes(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The document's root node, or null for an empty file. */
    Node read() {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).compose(in);
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            throw new InventoryException(file, mark == null ? 1 : mark.getLine() + 1,
                    mark == null ? 1 : mark.getColumn() + 1, "invalid YAML: " + e.getProblem());
        } catch (IOException e) {
            throw new InventoryException(file, 1, 1, "cannot read: " + e.getMessage());
        }
    }

    InventoryException error(Node at, String problem) {
        return new InventoryException(file, at.getStartMark().getLine() + 1, at.getStartMark().getColumn() + 1, problem);
    }

    MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw error(node, what + " must be a mapping (key: value), found " + describe(node));
    }

    /** Mapping entries with string keys, in file order. */
    Map<String, Node> entries(MappingNode node) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw error(t.getKeyNode(), "keys must be plain names");
            }
            if (out.put(key.getValue(), t.getValueNode()) != null) {
                throw error(key, "duplicate key '" + key.getValue() + "'");
            }
        }
        return out;
    }

    static boolean isNull(Node node) {
        return node == null || node.getTag().equals(Tag.NULL);
    }

    /** A variables mapping (null or empty allowed) as plain Java values. */
    Map<String, Object> vars(Node node, String what) {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (isNull(node)) {
            return vars;
        }
        entries(mapping(node, what)).forEach((k, v) -> vars.put(k, value(v)));
        return vars;
    }

    /** Where each variable of a mapping is written: key -> {@code file:line:column} of its value. */
    Map<String, String> origins(Node node) {
        Map<String, String> origins = new LinkedHashMap<>();
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode key) {
                    origins.put(key.getValue(), where(t.getValueNode()));
                }
            }
        }
        return origins;
    }

    String where(Node node) {
        return file + ":" + (node.getStartMark().getLine() + 1) + ":" + (node.getStartMark().getColumn() + 1);
    }

    Object value(Node node) {
        if (node instanceof ScalarNode s) {
            return scalar(s);
        }
        if (node instanceof SequenceNode seq) {
            List<Object> list = new ArrayList<>();
            seq.getValue().forEach(n -> list.add(value(n)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            map.put(String.valueOf(value(t.getKeyNode())), value(t.getValueNode()));
        }
        return map;
    }

    private Object scalar(ScalarNode s) {
        String v = s.getValue();
        Tag tag = s.getTag();
        try {
            if (tag.equals(Tag.NULL)) {
                return null;
            }
            if (tag.equals(Tag.BOOL)) {
                return AnsibleBoolean.parse(v).orElse(Boolean.FALSE);
            }
            if (tag.equals(Tag.INT)) {
                long l = Long.decode(v.replace("_", "").replace("0o", "0"));
                return l == (int) l ? (Object) (int) l : (Object) l;
            }
            if (tag.equals(Tag.FLOAT)) {
                return Double.parseDouble(v.replace("_", ""));
            }
        } catch (NumberFormatException e) {
            return v;
        }
        return v;
    }

    private static String describe(Node node) {
        if (node instanceof ScalarNode s) {
            return "'" + s.getValue() + "'";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }
}

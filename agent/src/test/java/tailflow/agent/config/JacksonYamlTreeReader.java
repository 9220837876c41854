package tailflow.agent.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The config reader before it moved to SnakeYAML events (kept for {@link YamlTreeReaderTest}, which
 * checks that both make the same tree and the same errors). Reads YAML into a {@link Node} tree that keeps the line and column of every key and value.
 * Jackson's streaming parser supplies the positions; the tree is built here because a databind
 * tree forgets them. Duplicate keys and YAML aliases are errors (Promtail rejects both too).
 */
final class JacksonYamlTreeReader {
    private final String file;
    private final Optional<EnvExpander> expander;
    private final List<ConfigError> errors = new ArrayList<>();
    private String lastKey = "(document)";

    JacksonYamlTreeReader(String file, Optional<EnvExpander> expander) {
        this.file = file;
        this.expander = expander;
    }

    /** The document's root, or empty when the file holds no YAML at all (empty, only comments). */
    Optional<Node> read(byte[] bytes) throws ConfigException {
        String text = ConfigText.decode(file, bytes);
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return Optional.empty();
            }
            Node root = value(p, "");
            if (p.nextToken() != null) {
                Node.Location at = here(p);
                errors.add(new ConfigError(file, at.line(), at.column(), "(document)",
                        "expected one YAML document, found another after '---' (merge them into one)"));
            }
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            throw new ConfigException(syntaxError(e, text));
        } catch (IOException e) {
            throw new ConfigException(new ConfigError(file, 1, 1, "(document)", "cannot parse: " + e.getMessage()));
        }
    }

    private ConfigError syntaxError(JsonProcessingException e, String text) {
        Throwable cause = e.getCause();
        if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            int line = marked.getProblemMark().getLine() + 1;
            int column = marked.getProblemMark().getColumn() + 1;
            return new ConfigError(file, line, column, YamlTreeReader.keyOnLine(text, line).orElse(lastKey),
                    YamlTreeReader.explain(String.valueOf(marked.getProblem())));
        }
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
        int column = loc == null ? 1 : Math.max(1, loc.getColumnNr());
        return new ConfigError(file, line, column, lastKey, "expected valid YAML: " + e.getOriginalMessage());
    }

    private static Node.Location here(JsonParser p) {
        JsonLocation loc = p.currentTokenLocation();
        return new Node.Location(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }

    private Node value(JsonParser p, String path) throws IOException {
        Node.Location at = here(p);
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Node.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Node.Location keyAt = here(p);
                    String keyPath = path.isEmpty() ? key : path + "." + key;
                    lastKey = keyPath;
                    p.nextToken();
                    Node v = value(p, keyPath);
                    Node.Entry previous = entries.get(key);
                    if (previous != null) {
                        errors.add(new ConfigError(file, keyAt.line(), keyAt.column(), keyPath,
                                "expected each key once, but it is already given at line " + previous.keyLocation().line()));
                    } else {
                        entries.put(key, new Node.Entry(key, keyAt, v));
                    }
                }
                return new Node.Mapping(at, entries);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                int index = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(p, path + "[" + index++ + "]"));
                }
                return new Node.Sequence(at, items);
            }
            case VALUE_NULL:
                return new Node.Scalar(at, "", Node.Scalar.Kind.NULL);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new Node.Scalar(at, p.getText(), Node.Scalar.Kind.BOOLEAN);
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new Node.Scalar(at, p.getText(), Node.Scalar.Kind.NUMBER);
            case VALUE_STRING:
                if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    errors.add(new ConfigError(file, at.line(), at.column(), path,
                            "expected a value, found the YAML alias *" + p.getText() + " (aliases are not supported)"));
                    return new Node.Scalar(at, "", Node.Scalar.Kind.NULL);
                }
                return expanded(p.getText(), at);
            default:
                errors.add(new ConfigError(file, at.line(), at.column(), path, "expected a plain value, found " + token));
                return new Node.Scalar(at, "", Node.Scalar.Kind.NULL);
        }
    }

    private Node.Scalar expanded(String text, Node.Location at) {
        if (expander.isEmpty()) {
            return new Node.Scalar(at, text, Node.Scalar.Kind.STRING);
        }
        try {
            return new Node.Scalar(at, expander.get().expand(text), Node.Scalar.Kind.STRING);
        } catch (EnvExpander.ExpansionException e) {
            // Plain single-line scalars start at `at`; the offset is exact for them.
            Node.Location problemAt = new Node.Location(at.line(), at.column() + e.offset());
            return new Node.Scalar(at, text, Node.Scalar.Kind.STRING,
                    Optional.of(new Node.Scalar.Problem(problemAt, e.getMessage())));
        }
    }
}

package tailflow.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads YAML into a {@link Node} tree that keeps the line and column of every key and value.
 * SnakeYAML's event parser supplies the positions; the tree is built here because a composed
 * or databind tree forgets them. Duplicate keys and YAML aliases are errors (Promtail rejects both
 * too). Events straight from SnakeYAML, not Jackson's YAML parser on top of it: the agent then
 * loads no JSON library to read its config (start-up CPU and metaspace; src-test/bench/idle).
 */
final class YamlTreeReader {
    /** Deeper than any config; a bound keeps a hostile file from overflowing the stack. */
    static final int MAX_DEPTH = 200;
    private static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");
    /** YAML 1.1's booleans, as Jackson's YAML parser (and Go's yaml.v2 in Promtail) typed them. */
    private static final Set<String> BOOLEANS = Set.of("true", "True", "TRUE", "false", "False", "FALSE",
            "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF");
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile(
            "[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?|\\.[0-9_]+([eE][-+]?[0-9]+)?"
                    + "|\\.(inf|Inf|INF))|\\.(nan|NaN|NAN)");

    private final String file;
    private final Optional<EnvExpander> expander;
    private final List<ConfigError> errors = new ArrayList<>();
    private String lastKey = "(document)";

    YamlTreeReader(String file, Optional<EnvExpander> expander) {
        this.file = file;
        this.expander = expander;
    }

    /** The document's root, or empty when the file holds no YAML at all (empty, only comments). */
    Optional<Node> read(byte[] bytes) throws ConfigException {
        String text = ConfigText.decode(file, bytes);
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(ConfigLoader.MAX_FILE_BYTES);
        Parser p = new ParserImpl(new StreamReader(text), options);
        try {
            p.getEvent(); // stream start
            if (p.checkEvent(Event.ID.StreamEnd)) {
                return Optional.empty();
            }
            p.getEvent(); // document start
            Node root = value(p, "", 0);
            p.getEvent(); // document end
            if (p.checkEvent(Event.ID.DocumentStart)) {
                p.getEvent();
                Node.Location at = at(p.peekEvent().getStartMark());
                errors.add(new ConfigError(file, at.line(), at.column(), "(document)",
                        "expected one YAML document, found another after '---' (merge them into one)"));
            }
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            return Optional.of(root);
        } catch (MarkedYAMLException e) {
            throw new ConfigException(syntaxError(e, text));
        } catch (YAMLException e) {
            throw new ConfigException(new ConfigError(file, 1, 1, lastKey, "expected valid YAML: " + e.getMessage()));
        }
    }

    private ConfigError syntaxError(MarkedYAMLException marked, String text) {
        Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        return new ConfigError(file, line, column, keyOnLine(text, line).orElse(lastKey),
                explain(String.valueOf(marked.getProblem())));
    }

    /** SnakeYAML's wording is about its parser states; say what the user should change. */
    static String explain(String problem) {
        if (problem.contains("\\t") || problem.contains("TAB")) {
            return "expected spaces for indentation, found a tab";
        }
        if (problem.startsWith("expected <block end>")) {
            return "expected this line to be indented like the other keys of its block (YAML nests by indentation)";
        }
        if (problem.startsWith("mapping values are not allowed here")) {
            return "expected one key: value per line (is this line indented too far, or a value missing quotes?)";
        }
        return "expected valid YAML (check the indentation here and on the line above): " + problem;
    }

    /** The key written on {@code line}, e.g. "scrape_configs" for "  scrape_configs:" or "- url: x". */
    static Optional<String> keyOnLine(String text, int line) {
        String[] lines = text.split("\n", -1);
        if (line < 1 || line > lines.length) {
            return Optional.empty();
        }
        java.util.regex.Matcher m = KEY_ON_LINE.matcher(lines[line - 1]);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static final java.util.regex.Pattern KEY_ON_LINE =
            java.util.regex.Pattern.compile("^[\\s-]*([A-Za-z_][A-Za-z0-9_.]*)\\s*:(\\s|$)");

    private static Node.Location at(Mark mark) {
        return new Node.Location(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private Node value(Parser p, String path, int depth) {
        Event event = p.getEvent();
        Node.Location at = at(event.getStartMark());
        if (depth > MAX_DEPTH && (event.is(Event.ID.MappingStart) || event.is(Event.ID.SequenceStart))) {
            throw new MarkedYAMLException("while reading the config", event.getStartMark(),
                    "expected at most " + MAX_DEPTH + " levels of nesting", event.getStartMark()) {};
        }
        if (event.is(Event.ID.MappingStart)) {
            Map<String, Node.Entry> entries = new LinkedHashMap<>();
            while (!p.checkEvent(Event.ID.MappingEnd)) {
                Event keyEvent = p.peekEvent();
                Node.Location keyAt = at(keyEvent.getStartMark());
                if (!(keyEvent instanceof ScalarEvent keyScalar)) {
                    if (keyEvent instanceof AliasEvent) {
                        p.getEvent();
                    } else {
                        value(p, path, depth + 1); // the list or mapping used as a key, dropped
                    }
                    errors.add(new ConfigError(file, keyAt.line(), keyAt.column(), path.isEmpty() ? "(document)" : path,
                            "expected a plain key (a word before ':'), found a " + (keyEvent instanceof AliasEvent
                                    ? "YAML alias" : "list or mapping used as a key")));
                    value(p, path, depth + 1);
                    continue;
                }
                p.getEvent();
                String key = keyScalar.getValue();
                String keyPath = path.isEmpty() ? key : path + "." + key;
                lastKey = keyPath;
                Node v = value(p, keyPath, depth + 1);
                Node.Entry previous = entries.get(key);
                if (previous != null) {
                    errors.add(new ConfigError(file, keyAt.line(), keyAt.column(), keyPath,
                            "expected each key once, but it is already given at line " + previous.keyLocation().line()));
                } else {
                    entries.put(key, new Node.Entry(key, keyAt, v));
                }
            }
            p.getEvent();
            return new Node.Mapping(at, entries);
        }
        if (event.is(Event.ID.SequenceStart)) {
            List<Node> items = new ArrayList<>();
            int index = 0;
            while (!p.checkEvent(Event.ID.SequenceEnd)) {
                items.add(value(p, path + "[" + index++ + "]", depth + 1));
            }
            p.getEvent();
            return new Node.Sequence(at, items);
        }
        if (event instanceof AliasEvent alias) {
            errors.add(new ConfigError(file, at.line(), at.column(), path,
                    "expected a value, found the YAML alias *" + alias.getAnchor() + " (aliases are not supported)"));
            return new Node.Scalar(at, "", Node.Scalar.Kind.NULL);
        }
        ScalarEvent scalar = (ScalarEvent) event;
        Node.Scalar.Kind kind = kind(scalar);
        return switch (kind) {
            case NULL -> new Node.Scalar(at, "", kind);
            case STRING -> expanded(scalar.getValue(), at);
            default -> new Node.Scalar(at, scalar.getValue(), kind);
        };
    }

    /**
     * How YAML 1.1 types the scalar: an explicit tag, else implicitly for plain (unquoted) text only.
     * Only NULL changes what the binders do (an empty value); the other kinds name the value in
     * messages, and only STRING values are expanded.
     */
    static Node.Scalar.Kind kind(ScalarEvent scalar) {
        String tag = scalar.getTag();
        String value = scalar.getValue();
        if (tag != null && tag.startsWith(Tag.PREFIX)) {
            return switch (tag.substring(Tag.PREFIX.length())) {
                case "null" -> Node.Scalar.Kind.NULL;
                case "bool" -> Node.Scalar.Kind.BOOLEAN;
                case "int", "float" -> Node.Scalar.Kind.NUMBER;
                default -> Node.Scalar.Kind.STRING;
            };
        }
        if (tag != null || scalar.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
            return Node.Scalar.Kind.STRING;
        }
        if (NULLS.contains(value)) {
            return Node.Scalar.Kind.NULL;
        }
        if (BOOLEANS.contains(value)) {
            return Node.Scalar.Kind.BOOLEAN;
        }
        return NUMBER.matcher(value).matches() ? Node.Scalar.Kind.NUMBER : Node.Scalar.Kind.STRING;
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

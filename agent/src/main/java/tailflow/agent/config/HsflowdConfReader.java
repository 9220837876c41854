package tailflow.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads hsflowd.conf's brace syntax into a {@link Node} tree: {@code key = value} (the {@code =} is
 * optional, as in hsflowd), {@code name { ... }} sections on one line or many, {@code #} comments.
 * {@code collector} and {@code pcap} may repeat and always become lists; any other key given twice
 * is an error.
 */
final class HsflowdConfReader {
    private static final Set<String> REPEATABLE = Set.of("collector", "pcap");

    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private List<Token> tokens;
    private int pos;

    HsflowdConfReader(String file) {
        this.file = file;
    }

    private enum Type { WORD, EQUALS, OPEN, CLOSE }

    private record Token(Type type, String text, Node.Location at) {}

    /** The file's top level as a mapping (normally just {@code sflow}); empty when the file has no settings. */
    Optional<Node.Mapping> read(byte[] bytes) throws ConfigException {
        String text = ConfigText.decode(file, bytes);
        tokens = tokenize(text);
        pos = 0;
        if (tokens.isEmpty()) {
            return Optional.empty();
        }
        Node.Mapping root = section(tokens.get(0).at(), null, "");
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return Optional.of(root);
    }

    private List<Token> tokenize(String text) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int col = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                col = 1;
                i++;
            } else if (Character.isWhitespace(c) || c == ';') {
                col++;
                i++;
            } else if (c == '#') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '=' || c == '{' || c == '}') {
                out.add(new Token(c == '=' ? Type.EQUALS : c == '{' ? Type.OPEN : Type.CLOSE, String.valueOf(c),
                        new Node.Location(line, col)));
                col++;
                i++;
            } else if (c == '"') {
                int close = text.indexOf('"', i + 1);
                int nl = text.indexOf('\n', i + 1);
                if (close < 0 || (nl >= 0 && nl < close)) {
                    errors.add(new ConfigError(file, line, col, "(document)", "expected a closing \" on the same line"));
                    close = nl < 0 ? text.length() - 1 : nl - 1;
                }
                out.add(new Token(Type.WORD, text.substring(i + 1, Math.max(i + 1, close)), new Node.Location(line, col)));
                col += close + 1 - i;
                i = close + 1;
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && "={}#;\"".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Token(Type.WORD, text.substring(start, i), new Node.Location(line, col)));
                col += i - start;
            }
        }
        return out;
    }

    /** Reads entries until the matching '}' (or the end of file at top level, where {@code open} is null). */
    private Node.Mapping section(Node.Location at, Token open, String path) {
        Map<String, Node.Entry> entries = new LinkedHashMap<>();
        Map<String, List<Node>> repeated = new LinkedHashMap<>();
        while (pos < tokens.size()) {
            Token t = tokens.get(pos++);
            if (t.type() == Type.CLOSE) {
                if (open == null) {
                    errors.add(new ConfigError(file, t.at().line(), t.at().column(), path.isEmpty() ? "(document)" : path,
                            "expected a setting, found '}' without a matching '{'"));
                    continue;
                }
                return finish(at, entries, repeated);
            }
            if (t.type() != Type.WORD) {
                errors.add(new ConfigError(file, t.at().line(), t.at().column(), path.isEmpty() ? "(document)" : path,
                        "expected a setting name, found '" + t.text() + "'"));
                continue;
            }
            String key = path.isEmpty() ? t.text() : path + "." + t.text();
            Node value = value(t, key);
            if (value == null) {
                continue;
            }
            if (REPEATABLE.contains(t.text()) && value instanceof Node.Mapping) {
                repeated.computeIfAbsent(t.text(), k -> new ArrayList<>()).add(value);
                entries.putIfAbsent(t.text(), new Node.Entry(t.text(), t.at(), value));
            } else if (entries.containsKey(t.text())) {
                errors.add(new ConfigError(file, t.at().line(), t.at().column(), key,
                        "expected each setting once, but it is already given at line " + entries.get(t.text()).keyLocation().line()));
            } else {
                entries.put(t.text(), new Node.Entry(t.text(), t.at(), value));
            }
        }
        if (open != null) {
            errors.add(new ConfigError(file, open.at().line(), open.at().column(), path,
                    "expected a '}' to close the section opened here"));
        }
        return finish(at, entries, repeated);
    }

    private Node value(Token keyToken, String key) {
        if (pos < tokens.size() && tokens.get(pos).type() == Type.OPEN) {
            Token open = tokens.get(pos++);
            return section(keyToken.at(), open, key);
        }
        if (pos < tokens.size() && tokens.get(pos).type() == Type.EQUALS) {
            pos++;
        }
        if (pos < tokens.size() && tokens.get(pos).type() == Type.WORD) {
            Token v = tokens.get(pos++);
            return new Node.Scalar(v.at(), v.text(), Node.Scalar.Kind.STRING);
        }
        Node.Location at = pos < tokens.size() ? tokens.get(pos).at() : keyToken.at();
        errors.add(new ConfigError(file, at.line(), at.column(), key,
                "expected a value (" + keyToken.text() + " = value) or a section (" + keyToken.text() + " { ... })"));
        return null;
    }

    private static Node.Mapping finish(Node.Location at, Map<String, Node.Entry> entries, Map<String, List<Node>> repeated) {
        for (Map.Entry<String, List<Node>> r : repeated.entrySet()) {
            Node.Entry first = entries.get(r.getKey());
            entries.put(r.getKey(), new Node.Entry(r.getKey(), first.keyLocation(),
                    new Node.Sequence(first.keyLocation(), r.getValue())));
        }
        return new Node.Mapping(at, entries);
    }
}

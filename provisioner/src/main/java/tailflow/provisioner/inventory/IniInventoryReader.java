package tailflow.provisioner.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Ansible's INI inventory format: host lines with {@code key=value} vars, {@code [group]},
 * {@code [group:vars]}, {@code [group:children]}, ranges, {@code host:port}. Values are typed
 * the way Ansible's literal evaluation would (numbers, booleans, [lists], {maps}).
 */
final class IniInventoryReader {

    private static final Pattern SECTION = Pattern.compile("\\[([^\\[\\]:\\s]+)(?::(\\w+))?]\\s*(?:[#;].*)?");
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern PORT_SUFFIX = Pattern.compile("^(.*[^:]):(\\d+)$");

    private enum Kind { HOSTS, VARS, CHILDREN }

    private final Path file;

    IniInventoryReader(Path file) {
        this.file = file;
    }

    RawInventory read(List<String> lines) {
        RawInventory inv = new RawInventory();
        String group = RawInventory.UNGROUPED;
        Kind kind = Kind.HOSTS;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String raw = lines.get(i);
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int indent = raw.indexOf(line.charAt(0)) + 1;
            if (line.startsWith("[")) {
                Matcher m = SECTION.matcher(line);
                if (!m.matches()) {
                    throw new InventoryException(file, lineNo, indent,
                            "malformed section header '" + line + "' (expected [group], [group:vars] or [group:children])");
                }
                group = m.group(1);
                if (!GROUP_NAME.matcher(group).matches()) {
                    throw new InventoryException(file, lineNo, indent + 1, "invalid group name '" + group + "'");
                }
                String suffix = m.group(2);
                if (suffix == null) {
                    kind = Kind.HOSTS;
                } else if (suffix.equals("vars")) {
                    kind = Kind.VARS;
                } else if (suffix.equals("children")) {
                    kind = Kind.CHILDREN;
                } else {
                    throw new InventoryException(file, lineNo, indent + group.length() + 2,
                            "unknown section type ':" + suffix + "' (only :vars and :children exist)");
                }
                inv.group(group);
                continue;
            }
            List<Token> tokens = tokenize(line, lineNo, indent);
            if (tokens.isEmpty()) {
                continue;
            }
            switch (kind) {
                case HOSTS -> readHostLine(inv, group, tokens, lineNo);
                case VARS -> readVarLine(inv, group, line, lineNo, indent);
                case CHILDREN -> {
                    if (tokens.size() > 1) {
                        throw new InventoryException(file, lineNo, tokens.get(1).column,
                                "a [" + group + ":children] line names one group; unexpected '" + tokens.get(1).text + "'");
                    }
                    String child = tokens.get(0).text;
                    if (!GROUP_NAME.matcher(child).matches()) {
                        throw new InventoryException(file, lineNo, tokens.get(0).column, "invalid group name '" + child + "'");
                    }
                    if (child.equals(group)) {
                        throw new InventoryException(file, lineNo, tokens.get(0).column, "group '" + group + "' cannot be its own child");
                    }
                    inv.group(child);
                    inv.group(group).children.add(child);
                }
            }
        }
        return inv;
    }

    private void readHostLine(RawInventory inv, String group, List<Token> tokens, int lineNo) {
        Token first = tokens.get(0);
        if (first.text.contains("=")) {
            throw new InventoryException(file, lineNo, first.column,
                    "expected a host name, found '" + first.text + "' (variables belong in a [" + group + ":vars] section)");
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        String pattern = first.text;
        Integer hostPort = null;
        Matcher port = PORT_SUFFIX.matcher(pattern);
        if (port.matches() && !pattern.startsWith("[")) {
            pattern = port.group(1);
            hostPort = Integer.parseInt(port.group(2));
        }
        for (Token t : tokens.subList(1, tokens.size())) {
            int eq = t.text.indexOf('=');
            if (eq <= 0) {
                throw new InventoryException(file, lineNo, t.column,
                        "expected key=value after host '" + first.text + "', found '" + t.text + "'");
            }
            vars.put(t.text.substring(0, eq), LiteralValue.parse(t.text.substring(eq + 1)));
            origins.put(t.text.substring(0, eq), file + ":" + lineNo + ":" + (t.column + eq + 1));
        }
        List<String> hosts;
        try {
            hosts = HostRange.expand(pattern);
        } catch (IllegalArgumentException e) {
            throw new InventoryException(file, lineNo, first.column, e.getMessage());
        }
        for (String host : hosts) {
            inv.addHost(group, host, vars, origins, hostPort, file + ":" + lineNo + ":" + first.column);
        }
    }

    private void readVarLine(RawInventory inv, String group, String line, int lineNo, int column) {
        int eq = line.indexOf('=');
        if (eq <= 0) {
            throw new InventoryException(file, lineNo, column,
                    "expected key=value in [" + group + ":vars], found '" + line + "'");
        }
        String key = line.substring(0, eq).strip();
        if (key.isEmpty() || key.contains(" ")) {
            throw new InventoryException(file, lineNo, column, "invalid variable name '" + key + "'");
        }
        List<Token> value = tokenize(line.substring(eq + 1), lineNo, column + eq + 1);
        String text = value.isEmpty() ? "" : joinTokens(value);
        inv.group(group).vars.put(key, LiteralValue.parse(text));
        inv.group(group).origins.put(key, file + ":" + lineNo + ":" + (value.isEmpty() ? column + eq + 1 : value.get(0).column));
    }

    private static String joinTokens(List<Token> tokens) {
        StringBuilder b = new StringBuilder();
        for (Token t : tokens) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(t.text);
        }
        return b.toString();
    }

    /** A word of a line and where it starts (1-based column). */
    private record Token(String text, int column) {}

    /** Splits like a shell: whitespace separates, quotes group, {@code #} at a word start ends the line. */
    private List<Token> tokenize(String line, int lineNo, int baseColumn) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder cur = null;
        int start = 0;
        char quote = 0;
        int quoteAt = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else {
                    cur.append(c);
                }
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (cur != null) {
                    tokens.add(new Token(cur.toString(), baseColumn + start));
                    cur = null;
                }
                continue;
            }
            if (cur == null) {
                if (c == '#' || c == ';') {
                    break;
                }
                cur = new StringBuilder();
                start = i;
            }
            if (c == '"' || c == '\'') {
                quote = c;
                quoteAt = i;
            } else {
                cur.append(c);
            }
        }
        if (quote != 0) {
            throw new InventoryException(file, lineNo, baseColumn + quoteAt, "unterminated " + quote + " quote");
        }
        if (cur != null) {
            tokens.add(new Token(cur.toString(), baseColumn + start));
        }
        return tokens;
    }
}

package tailflow.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One mapping of a config tree being read into a record. Every getter names the key it reads, so
 * {@link #finish} can report the keys nobody read: Promtail/hsflowd keys tailflow does not
 * implement become "not supported yet" warnings, anything else is an error with a hint.
 */
final class Section {
    private final BindContext ctx;
    private final Node.Mapping map;
    private final String path;
    private final Node.Location location;
    private final Set<String> asked = new LinkedHashSet<>();

    private Section(BindContext ctx, Node.Mapping map, String path, Node.Location location) {
        this.ctx = ctx;
        this.map = map;
        this.path = path;
        this.location = location;
    }

    /** The mapping at {@code node}; an empty value counts as an empty mapping (as in Promtail). */
    static Section of(BindContext ctx, Node node, String path, String example) {
        return of(ctx, node, path, example, node.location());
    }

    /** @param at where errors about the section as a whole point: its key, when it has one */
    static Section of(BindContext ctx, Node node, String path, String example, Node.Location at) {
        if (node instanceof Node.Mapping m) {
            return new Section(ctx, m, path, at);
        }
        if (!(node instanceof Node.Scalar s && s.isNull())) {
            ctx.error(node.location(), path.isEmpty() ? "(document)" : path,
                    "expected a mapping (" + example + "), found " + node.describe());
        }
        return new Section(ctx, new Node.Mapping(node.location(), Map.of()), path, at);
    }

    String path() {
        return path;
    }

    Node.Location location() {
        return location;
    }

    String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The entry under the first of {@code names} present (the others are aliases). */
    Optional<Node.Entry> entry(String... names) {
        Node.Entry found = null;
        for (String name : names) {
            asked.add(name);
            Node.Entry e = map.entries().get(name);
            if (e != null) {
                if (found != null) {
                    ctx.error(e.keyLocation(), keyPath(name), "expected either " + found.key() + " or " + name + ", not both");
                } else {
                    found = e;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** Entries not read by any getter so far, for keys with a variable part such as sampling.1G. */
    List<Node.Entry> unread() {
        List<Node.Entry> out = new ArrayList<>();
        for (Node.Entry e : map.entries().values()) {
            if (!asked.contains(e.key())) {
                out.add(e);
            }
        }
        return out;
    }

    void markRead(String key) {
        asked.add(key);
    }

    boolean has(String name) {
        return map.entries().containsKey(name);
    }

    Optional<Section> section(String name, String example) {
        return entry(name).map(e -> of(ctx, e.value(), keyPath(name), example, e.keyLocation()));
    }

    Optional<String> string(String... names) {
        return entry(names).flatMap(e -> scalarText(e, "a text value"));
    }

    String string(String name, String defaultValue) {
        return string(name).orElse(defaultValue);
    }

    /** Text of a scalar; an empty value counts as absent. Lists and mappings are errors. */
    Optional<String> scalarText(Node.Entry e, String expected) {
        if (e.value() instanceof Node.Scalar s) {
            return s.isNull() || !expandedOk(s, keyPath(e.key())) ? Optional.empty() : Optional.of(s.text());
        }
        ctx.error(e.value().location(), keyPath(e.key()), "expected " + expected + ", found " + e.value().describe());
        return Optional.empty();
    }

    /** A typed scalar: {@code parse} returns empty for text that is not valid. */
    <T> Optional<T> parsed(String name, String expected, Function<String, Optional<T>> parse) {
        return parsed(entry(name), expected, parse);
    }

    <T> Optional<T> parsed(Optional<Node.Entry> entry, String expected, Function<String, Optional<T>> parse) {
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Node.Entry e = entry.get();
        Optional<String> text = scalarText(e, expected);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<T> value = parse.apply(text.get());
        if (value.isEmpty()) {
            ctx.error(e.value().location(), keyPath(e.key()), "expected " + expected + ", found " + e.value().describe());
        }
        return value;
    }

    int integer(String name, int defaultValue, long min, long max, String expected) {
        return integer(entry(name), min, max, expected).orElse(defaultValue);
    }

    Optional<Integer> integer(Optional<Node.Entry> entry, long min, long max, String expected) {
        return parsed(entry, expected, t -> parseLong(t).filter(v -> v >= min && v <= max).map(Long::intValue));
    }

    Duration duration(String name, Duration defaultValue) {
        return parsed(name, "a duration like 1s, 500ms or 5m", Units::duration).orElse(defaultValue);
    }

    long bytes(String name, long defaultValue) {
        return parsed(name, "a size in bytes like 1048576 or 1MiB",
                t -> Units.bytes(t).filter(v -> v >= 0)).orElse(defaultValue);
    }

    boolean bool(String name, boolean defaultValue) {
        return parsed(name, "true or false", Section::parseBool).orElse(defaultValue);
    }

    /** true/false, and hsflowd's on/off and yes/no. */
    static Optional<Boolean> parseBool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> Optional.of(true);
            case "false", "off", "no" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    static Optional<Long> parseLong(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The list under {@code name}; absent or empty is an empty list, anything else but a list an error. */
    List<Node> list(String name, String example) {
        return list(entry(name), example);
    }

    List<Node> list(Optional<Node.Entry> entry, String example) {
        if (entry.isEmpty()) {
            return List.of();
        }
        Node v = entry.get().value();
        if (v instanceof Node.Sequence s) {
            return s.items();
        }
        if (!(v instanceof Node.Scalar s && s.isNull())) {
            ctx.error(v.location(), keyPath(entry.get().key()), "expected a list (" + example + "), found " + v.describe());
        }
        return List.of();
    }

    /** Reports a value's ${VAR} expansion problem now that it is used; false when there was one. */
    boolean expandedOk(Node.Scalar s, String path) {
        s.problem().ifPresent(p -> ctx.error(p.at(), path, p.message()));
        return s.problem().isEmpty();
    }

    /** A mapping of plain values (labels), in document order. */
    Map<String, ScalarEntry> scalarMap(String name, String example) {
        Map<String, ScalarEntry> out = new LinkedHashMap<>();
        Optional<Section> sub = section(name, example);
        if (sub.isEmpty()) {
            return out;
        }
        for (Node.Entry e : sub.get().map.entries().values()) {
            String key = sub.get().keyPath(e.key());
            if (e.value() instanceof Node.Scalar s) {
                expandedOk(s, key);
                out.put(e.key(), new ScalarEntry(e.key(), key, e.keyLocation(), s));
            } else {
                ctx.error(e.value().location(), key, "expected a text value, found " + e.value().describe());
            }
        }
        return out;
    }

    /** One value of a {@link #scalarMap}, with where its key is. */
    record ScalarEntry(String key, String path, Node.Location keyLocation, Node.Scalar value) {}

    /**
     * Reports keys no getter asked for: warnings for {@code unsupported} ones (known to Promtail or
     * hsflowd, not implemented), errors with a hint for the rest.
     */
    void finish(Collection<String> unsupported) {
        for (Node.Entry e : unread()) {
            String key = keyPath(e.key());
            if (unsupported.contains(e.key())) {
                ctx.warn(e.keyLocation(), key, BindContext.NOT_SUPPORTED);
            } else {
                ctx.error(e.keyLocation(), key, "unknown key" + hint(e.key()));
            }
        }
    }

    /**
     * Like {@link #finish} for settings Promtail decodes leniently (a pipeline stage's, with
     * mapstructure, which ignores keys it does not know): each unknown key is a warning, not an
     * error, and the config still loads.
     */
    void finishIgnoringUnknown() {
        for (Node.Entry e : unread()) {
            ctx.warn(e.keyLocation(), keyPath(e.key()), "unknown key, ignored (as Promtail ignores it)" + hint(e.key()));
        }
    }

    private String hint(String key) {
        for (String known : asked) {
            if (editDistance(known, key) <= 2) {
                return "; did you mean " + known + "?";
            }
        }
        String parent = KnownKeys.parentOf(key);
        if (parent != null) {
            return "; it belongs under " + parent + " (check its indentation)";
        }
        return asked.isEmpty() ? "" : "; expected one of " + String.join(", ", asked);
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

package tailflow.agent.pipeline;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable label set, sorted by name: the labels of an entry as a value. Stages and relabelling
 * derive new sets with {@link #with}/{@link #without}; clients group entries into streams by
 * {@link #equals} and send {@link #lokiText()}. Names starting with {@code __} are internal
 * (relabelling input such as {@code __path__} or {@code __journal__systemd_unit}) and never leave
 * the agent: {@link #withoutInternal()} removes them.
 */
public final class Labels {

    private static final Labels EMPTY = new Labels(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private int hash;
    private String text;

    private Labels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    public static Labels empty() {
        return EMPTY;
    }

    public static Labels of(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return EMPTY;
        }
        TreeMap<String, String> sorted = new TreeMap<>(labels);
        String[] n = new String[sorted.size()];
        String[] v = new String[sorted.size()];
        int i = 0;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            n[i] = e.getKey();
            v[i++] = e.getValue();
        }
        return new Labels(n, v);
    }

    /** Labels from alternating names and values: {@code Labels.of("job", "varlogs", "hostname", "h1")}. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return of(m);
    }

    /**
     * Loki's and Prometheus' label-name rule, {@code [a-zA-Z_][a-zA-Z0-9_]*}: the one place the
     * agent checks it (config binding, relabelling's target_label, the labels stage).
     */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    public int size() {
        return names.length;
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    /** The value of {@code name}, or null if absent. */
    public String get(String name) {
        int i = Arrays.binarySearch(names, name);
        return i < 0 ? null : values[i];
    }

    public boolean has(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    /** This set with {@code name} set to {@code value} (replacing an existing value). */
    public Labels with(String name, String value) {
        int i = Arrays.binarySearch(names, name);
        if (i >= 0) {
            if (values[i].equals(value)) {
                return this;
            }
            String[] v = values.clone();
            v[i] = value;
            return new Labels(names, v);
        }
        int at = -i - 1;
        String[] n = new String[names.length + 1];
        String[] v = new String[names.length + 1];
        System.arraycopy(names, 0, n, 0, at);
        System.arraycopy(values, 0, v, 0, at);
        n[at] = name;
        v[at] = value;
        System.arraycopy(names, at, n, at + 1, names.length - at);
        System.arraycopy(values, at, v, at + 1, names.length - at);
        return new Labels(n, v);
    }

    /** This set plus every label of {@code other}; {@code other} wins on a clash. */
    public Labels withAll(Labels other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Map<String, String> m = new TreeMap<>(asMap());
        m.putAll(other.asMap());
        return of(m);
    }

    public Labels without(String name) {
        int i = Arrays.binarySearch(names, name);
        if (i < 0) {
            return this;
        }
        String[] n = new String[names.length - 1];
        String[] v = new String[names.length - 1];
        System.arraycopy(names, 0, n, 0, i);
        System.arraycopy(values, 0, v, 0, i);
        System.arraycopy(names, i + 1, n, i, names.length - i - 1);
        System.arraycopy(values, i + 1, v, i, names.length - i - 1);
        return new Labels(n, v);
    }

    /** Without the internal {@code __}-prefixed labels, as Promtail drops them after relabelling. */
    public Labels withoutInternal() {
        int keep = 0;
        for (String n : names) {
            if (!n.startsWith("__")) {
                keep++;
            }
        }
        if (keep == names.length) {
            return this;
        }
        String[] n = new String[keep];
        String[] v = new String[keep];
        int j = 0;
        for (int i = 0; i < names.length; i++) {
            if (!names[i].startsWith("__")) {
                n[j] = names[i];
                v[j++] = values[i];
            }
        }
        return new Labels(n, v);
    }

    /** A read-only sorted view. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], values[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Loki's label-set text, {@code {filename="/var/log/syslog", hostname="h1", job="varlogs"}}, values escaped. */
    public String lokiText() {
        String t = text;
        if (t == null) {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < names.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(names[i]).append("=\"");
                String v = values[i];
                for (int k = 0; k < v.length(); k++) {
                    char c = v.charAt(k);
                    switch (c) {
                        case '\\' -> sb.append("\\\\");
                        case '"' -> sb.append("\\\"");
                        case '\n' -> sb.append("\\n");
                        default -> sb.append(c);
                    }
                }
                sb.append('"');
            }
            t = sb.append('}').toString();
            text = t;
        }
        return t;
    }

    /**
     * Parses the text {@link #lokiText()} writes ({@code {a="x", b="y"}}, values escaped): the one
     * reader of Loki's label-set form (tests read the receiver's streams with it).
     *
     * @throws IllegalArgumentException on bad syntax or a repeated name
     */
    public static Labels parse(String text) {
        Map<String, String> out = new TreeMap<>();
        String s = text.trim();
        if (!s.startsWith("{") || !s.endsWith("}")) {
            throw new IllegalArgumentException("label set must be enclosed in {}: " + text);
        }
        int i = 1;
        int end = s.length() - 1;
        while (true) {
            while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            if (i >= end) {
                return of(out);
            }
            int eq = s.indexOf('=', i);
            if (eq < 0 || eq + 1 >= end || s.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("expected name=\"value\" at column " + (i + 1) + ": " + text);
            }
            String name = s.substring(i, eq).trim();
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; j < end; j++) {
                char c = s.charAt(j);
                if (c == '\\' && j + 1 < end) {
                    char n = s.charAt(++j);
                    v.append(n == 'n' ? '\n' : n);
                } else if (c == '"') {
                    break;
                } else {
                    v.append(c);
                }
            }
            if (j >= end) {
                throw new IllegalArgumentException("unterminated value of " + name + ": " + text);
            }
            if (out.put(name, v.toString()) != null) {
                throw new IllegalArgumentException("duplicate label " + name + ": " + text);
            }
            i = j + 1;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels l && Arrays.equals(names, l.names) && Arrays.equals(values, l.values);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return lokiText();
    }
}

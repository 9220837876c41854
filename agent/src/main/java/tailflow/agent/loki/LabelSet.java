package tailflow.agent.loki;

import java.util.Map;
import java.util.TreeMap;

/** Loki's label-set text form, {@code {filename="/var/log/syslog", hostname="h1", job="varlogs"}}. */
public final class LabelSet {

    private LabelSet() {}

    /** Formats labels sorted by name, values escaped ({@code \\}, {@code "}, newline). */
    public static String format(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            sb.append(first ? "" : ", ");
            first = false;
            sb.append(e.getKey()).append("=\"");
            String v = e.getValue();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c);
                }
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    /** Parses the form {@link #format} writes; throws IllegalArgumentException on bad syntax. */
    public static Map<String, String> parse(String text) {
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
                return out;
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
}

package tailflow.provisioner.inventory;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON as Python's {@code json.dumps(value, indent=4, sort_keys=True, ensure_ascii=False)} writes
 * it, which is what ansible-inventory prints: tools that diff its output see the same text.
 */
public final class PythonJson {

    private PythonJson() {}

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, 0, out);
        return out.toString();
    }

    private static void write(Object v, int depth, StringBuilder out) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            out.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            out.append(d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf(d) : Double.toString(d));
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                out.append("{}");
                return;
            }
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
            out.append("{\n");
            int i = 0;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                indent(depth + 1, out);
                string(e.getKey(), out);
                out.append(": ");
                write(e.getValue(), depth + 1, out);
                out.append(++i < sorted.size() ? ",\n" : "\n");
            }
            indent(depth, out);
            out.append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                indent(depth + 1, out);
                write(l.get(i), depth + 1, out);
                out.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            indent(depth, out);
            out.append(']');
        } else {
            string(String.valueOf(v), out);
        }
    }

    private static void indent(int depth, StringBuilder out) {
        out.append(" ".repeat(4 * depth));
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

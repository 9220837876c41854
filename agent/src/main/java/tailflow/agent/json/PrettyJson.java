package tailflow.agent.json;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import tailflow.agent.pipeline.JsonString;

/**
 * Indented JSON of maps, lists and scalars (strings, numbers, booleans, null; anything else as its
 * text), laid out as Jackson's default pretty printer did ({@code "key" : value}, lists on one line,
 * {@code { }} and {@code [ ]} when empty), for the positions file and {@code /config}. Written by
 * hand so that the agent loads no JSON library at run time (start-up CPU, metaspace:
 * src-test/bench/idle). Strings are escaped as JSON requires, without Go's HTML escaping
 * ({@code <secret>} stays readable).
 */
public final class PrettyJson {

    private PrettyJson() {}

    /** {@code value} as indented JSON, with a final newline. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        value(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void value(StringBuilder sb, Object v, int depth) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Map<?, ?> map) {
            object(sb, map, depth);
        } else if (v instanceof Collection<?> list) {
            array(sb, list, depth);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte) {
            sb.append(v);
        } else if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            sb.append(n);
        } else {
            JsonString.append(sb, String.valueOf(v), false);
        }
    }

    private static void object(StringBuilder sb, Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            sb.append("{ }");
            return;
        }
        sb.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            newline(sb, depth + 1);
            JsonString.append(sb, String.valueOf(e.getKey()), false);
            sb.append(" : ");
            value(sb, e.getValue(), depth + 1);
            if (it.hasNext()) {
                sb.append(',');
            }
        }
        newline(sb, depth);
        sb.append('}');
    }

    /** Lists stay on one line, objects in them open where they stand (Jackson's FixedSpaceIndenter). */
    private static void array(StringBuilder sb, Collection<?> list, int depth) {
        sb.append('[');
        Iterator<?> it = list.iterator();
        while (it.hasNext()) {
            sb.append(' ');
            value(sb, it.next(), depth);
            if (it.hasNext()) {
                sb.append(',');
            }
        }
        sb.append(" ]");
    }

    private static void newline(StringBuilder sb, int depth) {
        sb.append('\n');
        sb.append("  ".repeat(depth));
    }
}

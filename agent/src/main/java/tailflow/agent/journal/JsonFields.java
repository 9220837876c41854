package tailflow.agent.journal;

import java.util.Map;

/**
 * A journal entry's fields as one JSON object, as Promtail writes them for {@code json: true}
 * (Go's encoding of a {@code map[string]string}: keys sorted, HTML characters and U+2028/U+2029
 * escaped, control characters as {@code \\n}, {@code \\r}, {@code \\t} or a {@code \\u} escape).
 */
final class JsonFields {

    private JsonFields() {}

    /** @param sorted fields sorted by name (a TreeMap), one value per name */
    static String encode(Map<String, String> sorted) {
        StringBuilder sb = new StringBuilder(64 * sorted.size() + 2);
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, e.getKey());
            sb.append(':');
            string(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    private static void string(StringBuilder sb, String s) {
        tailflow.agent.pipeline.JsonString.append(sb, s);
    }
}

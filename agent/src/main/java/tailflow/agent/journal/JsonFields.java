package tailflow.agent.journal;

import java.util.Map;

/**
 * A journal entry's fields as one JSON object, as Promtail writes them for {@code json: true}
 * (Go's encoding of a {@code map[string]string}: keys sorted, HTML characters and U+2028/U+2029
 * escaped, control characters as {@code \\n}, {@code \\r}, {@code \\t} or a {@code \\u} escape).
 */
final class JsonFields {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

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
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicode(sb, c);
                default -> {
                    if (c < 0x20) {
                        unicode(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void unicode(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
    }
}

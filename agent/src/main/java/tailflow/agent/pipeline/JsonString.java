package tailflow.agent.pipeline;

/**
 * JSON string literals as Go's encoding/json writes them: {@code "} and {@code \} escaped, \n \r \t
 * by name, other control characters and {@code < > &} U+2028 U+2029 as {@code \}u escapes. The
 * one writer for Loki's JSON push, journal entries with {@code json: true} and the stages' JSON
 * output (Promtail's outputs come from encoding/json, so its HTML escaping is kept everywhere).
 */
public final class JsonString {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonString() {}

    public static void append(StringBuilder sb, String s) {
        append(sb, s, true);
    }

    /**
     * {@code escapeHtml} false leaves {@code < > &} U+2028 U+2029 as they are: plain JSON for
     * readers that are not Go programs (the agent's {@code /config}: {@code <secret>} stays readable).
     */
    public static void append(StringBuilder sb, String s, boolean escapeHtml) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> {
                    if (escapeHtml) {
                        unicode(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
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
        sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }
}

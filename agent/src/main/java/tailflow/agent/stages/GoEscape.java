package tailflow.agent.stages;

/**
 * Go's backslash escapes in interpreted string and rune literals (strconv.Unquote): the one decoder
 * for LogQL selectors ({@link Selector}) and template literals ({@link TemplateParser}).
 */
final class GoEscape {

    private GoEscape() {}

    /**
     * Decodes the escape whose letter is at {@code at} (just after the backslash) into {@code out}
     * and returns the position after it.
     *
     * @throws IllegalArgumentException with the message to report when the escape is not Go's
     */
    static int decode(String s, int at, StringBuilder out) {
        if (at >= s.length()) {
            throw new IllegalArgumentException("invalid escape in string");
        }
        char e = s.charAt(at);
        int p = at + 1;
        switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'v' -> out.append('\u000b');
            case '\\', '"', '\'' -> out.append(e);
            case 'x', 'u', 'U' -> {
                int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                try {
                    out.appendCodePoint(Integer.parseInt(s.substring(p, p + len), 16));
                } catch (RuntimeException bad) {
                    throw new IllegalArgumentException("invalid escape in string");
                }
                return p + len;
            }
            default -> {
                if (e >= '0' && e <= '7' && p + 2 <= s.length()) {
                    try {
                        out.append((char) Integer.parseInt(s.substring(at, p + 2), 8));
                        return p + 2;
                    } catch (NumberFormatException bad) {
                        throw new IllegalArgumentException("invalid escape in string");
                    }
                }
                throw new IllegalArgumentException("invalid escape \\" + e + " in string");
            }
        }
        return p;
    }
}

package tailflow.agent.stages;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/** RE2 regexes as Promtail's Go regexp uses them: compile with a config-friendly error, and Go's ReplaceAll. */
public final class Re2 {
    private Re2() {}

    /** Compiles RE2 syntax; a bad expression throws IllegalArgumentException with RE2's reason. */
    public static Pattern compile(String expression) {
        try {
            return Pattern.compile(expression);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("could not compile regular expression " + quote(expression) + ": "
                    + e.getMessage());
        }
    }

    static String quote(String s) {
        return "'" + s + "'";
    }

    /**
     * Go's Regexp.ReplaceAllString ({@code literal} false: {@code $1}, {@code ${name}} expand) and
     * ReplaceAllLiteralString: an empty match right after a previous match is not replaced, and the
     * search moves on by one character after an empty match.
     */
    static String replaceAll(Pattern p, String src, String repl, boolean literal) {
        Matcher m = p.matcher(src);
        StringBuilder out = new StringBuilder();
        int lastMatchEnd = 0;
        int searchPos = 0;
        while (searchPos <= src.length() && m.find(searchPos)) {
            int start = m.start();
            int end = m.end();
            out.append(src, lastMatchEnd, start);
            if (end > lastMatchEnd || start == 0) {
                if (literal) {
                    out.append(repl);
                } else {
                    out.append(tailflow.agent.relabel.GoTemplate.expand(repl, m, p.namedGroups()));
                }
            }
            lastMatchEnd = end;
            int width = searchPos < src.length() ? Character.charCount(src.codePointAt(searchPos)) : 1;
            if (searchPos + width > end) {
                searchPos += width;
            } else if (searchPos + 1 > end) {
                searchPos++;
            } else {
                searchPos = end;
            }
        }
        out.append(src, Math.min(lastMatchEnd, src.length()), src.length());
        return out.toString();
    }
}

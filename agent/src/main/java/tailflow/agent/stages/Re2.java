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

    /** Called with the matcher at one match of {@link #forEachMatch}. */
    interface OnMatch {
        void at(Matcher m) throws GoTemplate.ExecError;
    }

    /**
     * The matches of Go's FindAll*Index(s, n) (regexp.allMatches), at most {@code n} (all when
     * negative): after an empty match the search moves one code point on, and an empty match right
     * where the previous match ended is not a match.
     */
    static void forEachMatch(Pattern p, String s, int n, OnMatch onMatch) throws GoTemplate.ExecError {
        Matcher m = p.matcher(s);
        int pos = 0;
        int prevMatchEnd = -1;
        int found = 0;
        while ((n < 0 || found < n) && pos <= s.length() && m.find(pos)) {
            boolean accept = true;
            if (m.end() == pos) {
                accept = m.start() != prevMatchEnd;
                pos += pos < s.length() ? Character.charCount(s.codePointAt(pos)) : 1;
            } else {
                pos = m.end();
            }
            prevMatchEnd = m.end();
            if (accept) {
                found++;
                onMatch.at(m);
            }
        }
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

package tailflow.agent.stages;

/** Go's strings functions where Java's differ: Replace with a count, Trim with a cutset, TrimSpace, Title. */
final class GoStrings {
    private GoStrings() {}

    /** strings.Replace: the first {@code n} (all when negative) non-overlapping {@code old}; an empty old inserts between characters. */
    static String replace(String s, String old, String repl, long n) {
        if (n == 0 || old.equals(repl)) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        long done = 0;
        if (old.isEmpty()) {
            out.append(repl);
            done++;
            while (i < s.length() && (n < 0 || done < n)) {
                int cp = s.codePointAt(i);
                out.appendCodePoint(cp);
                i += Character.charCount(cp);
                out.append(repl);
                done++;
            }
            return out.append(s, i, s.length()).toString();
        }
        while (n < 0 || done < n) {
            int at = s.indexOf(old, i);
            if (at < 0) {
                break;
            }
            out.append(s, i, at).append(repl);
            i = at + old.length();
            done++;
        }
        return out.append(s, i, s.length()).toString();
    }

    /** strings.Trim/TrimLeft/TrimRight: removes characters contained in {@code cutset}. */
    static String trim(String s, String cutset, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        while (left && start < end && cutset.indexOf(s.codePointAt(start)) >= 0) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (right && end > start && cutset.indexOf(s.codePointBefore(end)) >= 0) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || Character.isSpaceChar(c);
    }

    static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** strings.Title: upper-cases the first letter of each word. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevLetter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(prevLetter ? c : Character.toTitleCase(c));
            prevLetter = Character.isLetterOrDigit(c) || c == '_' || c == '\'';
        }
        return sb.toString();
    }
}

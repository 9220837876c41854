package tailflow.agent.stages;

/**
 * sprig's word functions, after the libraries it calls (huandu/xstrings v1.5.0, Masterminds/goutils
 * v1.1.1): snakecase, kebabcase (xstrings.camelCaseToLowerCase), camelcase (xstrings.ToPascalCase),
 * swapcase and untitle (goutils.SwapCase, Uncapitalize), wrap/wrapWith (goutils.WrapCustom) and
 * abbrevboth (goutils.AbbreviateFull). Go walks UTF-8 bytes where it measures lengths (wrap,
 * abbrevboth); these take the text's UTF-8 bytes the same way and stay exact for ASCII.
 */
final class SprigCase {
    private SprigCase() {}

    private enum Word { INVALID, NUMBER, UPPER, ALPHABET, CONNECTOR, PUNCT, OTHER }

    private record Next(Word type, String word, String remaining) {}

    static boolean isConnector(int r) {
        return r == '-' || r == '_' || isSpace(r);
    }

    /** unicode.IsSpace. */
    static boolean isSpace(int r) {
        return r == '\t' || r == '\n' || r == 0x0B || r == '\f' || r == '\r' || r == ' ' || r == 0x85 || r == 0xA0
                || Character.isSpaceChar(r);
    }

    private static boolean isPunct(int r) {
        int t = Character.getType(r);
        return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION || t == Character.START_PUNCTUATION
                || t == Character.END_PUNCTUATION || t == Character.INITIAL_QUOTE_PUNCTUATION
                || t == Character.FINAL_QUOTE_PUNCTUATION || t == Character.OTHER_PUNCTUATION;
    }

    private static boolean isNumber(int r) {
        int t = Character.getType(r);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** xstrings' isAlphabet: a letter, but not a CJK ideograph or kana. */
    private static boolean isAlphabet(int r) {
        if (!Character.isLetter(r)) {
            return false;
        }
        Character.UnicodeScript s = Character.UnicodeScript.of(r);
        return s != Character.UnicodeScript.HAN && s != Character.UnicodeScript.HIRAGANA
                && s != Character.UnicodeScript.KATAKANA && s != Character.UnicodeScript.HANGUL;
    }

    private static Next nextWord(String str) {
        if (str.isEmpty()) {
            return new Next(Word.INVALID, "", "");
        }
        int r = str.codePointAt(0);
        int offset = Character.charCount(r);
        Word wt;
        if (isConnector(r)) {
            wt = Word.CONNECTOR;
            offset = run(str, offset, SprigCase::isConnector);
        } else if (isPunct(r)) {
            wt = Word.PUNCT;
            offset = run(str, offset, SprigCase::isPunct);
        } else if (Character.isUpperCase(r)) {
            wt = Word.UPPER;
            if (offset < str.length()) {
                int r1 = str.codePointAt(offset);
                if (Character.isUpperCase(r1)) {
                    int prev = offset;
                    int end = offset;
                    while (end < str.length() && Character.isUpperCase(str.codePointAt(end))) {
                        prev = end;
                        end += Character.charCount(str.codePointAt(end));
                    }
                    // "HTTPServer": the last capital starts the next word when letters follow it
                    offset = end < str.length() && isAlphabet(str.codePointAt(end)) ? prev : end;
                } else if (isAlphabet(r1)) {
                    offset = run(str, offset, c -> isAlphabet(c) && !Character.isUpperCase(c));
                }
            }
        } else if (isAlphabet(r)) {
            wt = Word.ALPHABET;
            offset = run(str, offset, c -> isAlphabet(c) && !Character.isUpperCase(c));
        } else if (isNumber(r)) {
            wt = Word.NUMBER;
            offset = run(str, offset, SprigCase::isNumber);
        } else {
            wt = Word.OTHER;
            offset = run(str, offset, c -> !(isConnector(c) || isAlphabet(c) || isNumber(c) || isPunct(c)));
        }
        return new Next(wt, str.substring(0, offset), str.substring(offset));
    }

    private interface CodePointTest {
        boolean test(int c);
    }

    private static int run(String s, int from, CodePointTest t) {
        int i = from;
        while (i < s.length() && t.test(s.codePointAt(i))) {
            i += Character.charCount(s.codePointAt(i));
        }
        return i;
    }

    private static void toLower(StringBuilder b, Word wt, String word, char connector) {
        if (wt != Word.UPPER && wt != Word.CONNECTOR) {
            b.append(word);
            return;
        }
        word.codePoints().forEach(r -> {
            if (isConnector(r)) {
                b.append(connector);
            } else {
                b.appendCodePoint(Character.isUpperCase(r) ? Character.toLowerCase(r) : r);
            }
        });
    }

    /** xstrings.ToSnakeCase ('_') and ToKebabCase ('-'). */
    static String lowerWords(String str, char connector) {
        if (str.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        Next n = nextWord(str);
        while (!n.remaining().isEmpty()) {
            if (n.type() != Word.CONNECTOR) {
                toLower(b, n.type(), n.word(), connector);
            }
            Word prev = n.type();
            String last = n.word();
            n = nextWord(n.remaining());
            switch (prev) {
                case NUMBER -> {
                    while (n.type() == Word.ALPHABET || n.type() == Word.NUMBER) {
                        toLower(b, n.type(), n.word(), connector);
                        n = nextWord(n.remaining());
                    }
                    if (n.type() != Word.INVALID && n.type() != Word.PUNCT && n.type() != Word.CONNECTOR) {
                        b.append(connector);
                    }
                }
                case CONNECTOR -> toLower(b, prev, last, connector);
                case PUNCT -> { }
                default -> n = afterWord(b, n, connector);
            }
        }
        toLower(b, n.type(), n.word(), connector);
        return b.toString();
    }

    /** The default case of camelCaseToLowerCase: a word followed by {@code n}. */
    private static Next afterWord(StringBuilder b, Next n, char connector) {
        if (n.type() != Word.NUMBER) {
            if (n.type() != Word.CONNECTOR && n.type() != Word.PUNCT) {
                b.append(connector);
            }
            return n;
        }
        if (n.remaining().isEmpty()) {
            return n;
        }
        String last = n.word();
        n = nextWord(n.remaining());
        if (n.type() != Word.ALPHABET) {
            toLower(b, Word.NUMBER, last, connector);
            if (n.type() != Word.CONNECTOR && n.type() != Word.PUNCT) {
                b.append(connector);
            }
            return n;
        }
        b.append(connector);
        toLower(b, Word.NUMBER, last, connector);
        while (n.type() == Word.ALPHABET || n.type() == Word.NUMBER) {
            toLower(b, n.type(), n.word(), connector);
            n = nextWord(n.remaining());
        }
        if (n.type() != Word.INVALID && n.type() != Word.CONNECTOR && n.type() != Word.PUNCT) {
            b.append(connector);
        }
        return n;
    }

    /** xstrings.ToPascalCase (sprig's camelcase). */
    static String pascal(String str) {
        if (str.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        int[] cps = str.codePoints().toArray();
        int i = 0;
        int r0 = 0;
        boolean firstUpper = false;
        boolean found = false;
        while (i < cps.length) {
            r0 = cps[i++];
            if (!isConnector(r0)) {
                firstUpper = Character.isUpperCase(r0);
                r0 = Character.toUpperCase(r0);
                found = true;
                break;
            }
            b.appendCodePoint(r0);
        }
        if (i == cps.length) {
            if (found) {
                b.appendCodePoint(r0);
            }
            return b.toString();
        }
        while (i < cps.length) {
            int r1 = r0;
            r0 = cps[i++];
            if (isConnector(r0) && isConnector(r1)) {
                b.appendCodePoint(r1);
                continue;
            }
            if (isConnector(r1)) {
                firstUpper = Character.isUpperCase(r0);
                r0 = Character.toUpperCase(r0);
            } else {
                if (firstUpper) {
                    if (Character.isUpperCase(r0)) {
                        r0 = Character.toLowerCase(r0);
                    } else {
                        firstUpper = false;
                    }
                }
                b.appendCodePoint(r1);
            }
        }
        b.appendCodePoint(r0);
        return b.toString();
    }

    /** goutils.SwapCase: upper to lower, lower to title after white space (else upper). */
    static String swap(String str) {
        StringBuilder b = new StringBuilder();
        boolean whitespace = true;
        for (int r : str.codePoints().toArray()) {
            if (Character.isUpperCase(r) || Character.isTitleCase(r)) {
                b.appendCodePoint(Character.toLowerCase(r));
                whitespace = false;
            } else if (Character.isLowerCase(r)) {
                b.appendCodePoint(whitespace ? Character.toTitleCase(r) : Character.toUpperCase(r));
                whitespace = false;
            } else {
                b.appendCodePoint(r);
                whitespace = isSpace(r);
            }
        }
        return b.toString();
    }

    /** goutils.Uncapitalize (sprig's untitle): the first letter of each space-separated word lowered. */
    static String untitle(String str) {
        StringBuilder b = new StringBuilder();
        boolean next = true;
        for (int r : str.codePoints().toArray()) {
            if (isSpace(r)) {
                next = true;
                b.appendCodePoint(r);
            } else if (next) {
                b.appendCodePoint(Character.toLowerCase(r));
                next = false;
            } else {
                b.appendCodePoint(r);
            }
        }
        return b.toString();
    }

    /** goutils.WrapCustom (wrap: "\n", long words kept; wrapWith: the separator, long words cut). */
    static String wrap(String str, long width, String newLine, boolean wrapLongWords) {
        if (str.isEmpty()) {
            return "";
        }
        String nl = newLine.isEmpty() ? "\n" : newLine;
        int w = (int) Math.max(1, Math.min(width, Integer.MAX_VALUE / 2));
        int length = str.length();
        int offset = 0;
        StringBuilder b = new StringBuilder();
        while (length - offset > w) {
            if (str.charAt(offset) == ' ') {
                offset++;
                continue;
            }
            int end = w + offset + 1;
            int space = str.substring(offset, end).lastIndexOf(' ') + offset;
            if (space >= offset) {
                b.append(str, offset, space).append(nl);
                offset = space + 1;
            } else if (wrapLongWords) {
                b.append(str, offset, w + offset).append(nl);
                offset += w;
            } else {
                int at = str.indexOf(' ', w + offset);
                if (at < 0) {
                    b.append(str.substring(offset));
                    offset = length;
                } else {
                    b.append(str, offset, at).append(nl);
                    offset = at + 1;
                }
            }
        }
        return b.append(str.substring(offset)).toString();
    }

    /** sprig's abbrevboth over goutils.AbbreviateFull. */
    static String abbrevBoth(long left, long right, String s) {
        if (right < 4 || left > 0 && right < 7) {
            return s;
        }
        if (s.isEmpty() || s.length() <= right) {
            return s;
        }
        int max = (int) right;
        int offset = (int) Math.min(left, s.length());
        if (s.length() - offset < max - 3) {
            offset = s.length() - (max - 3);
        }
        if (offset <= 4) {
            return s.substring(0, max - 3) + "...";
        }
        if (offset + max - 3 < s.length()) {
            String rest = s.substring(offset);
            int w = max - 3;
            return "..." + (rest.length() <= w ? rest : rest.substring(0, w - 3) + "...");
        }
        return "..." + s.substring(s.length() - (max - 3));
    }
}

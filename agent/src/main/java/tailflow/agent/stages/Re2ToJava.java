package tailflow.agent.stages;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates an RE2 pattern (already accepted by RE2/J) into a java.util.regex pattern that
 * matches exactly the same spans, for the subset of RE2 where that is provable; anything outside
 * it gives empty and the caller keeps RE2/J. Why: under the agent's C1-only JIT, RE2/J's NFA with
 * capture groups costs ~7-10 us per log line, java.util.regex ~0.5-1 us ({@link Re2Matcher} bounds
 * the backtracker's work so RE2's linear time still holds).
 *
 * <p>Both engines are leftmost-first (Perl's preference order); they differ where this translator
 * refuses: repetition of something that can match empty (RE2 and Perl treat empty iterations
 * differently), capture groups under * + or {n,m} (java.util.regex keeps captures of failed
 * iterations in some loops), flags such as (?i) (Unicode case folding differs), Unicode classes
 * (table versions differ), octal and \Q..\E escapes (rare; not worth the risk). The rest is
 * spelled so no Java default leaks in: RE2's {@code .} is "not \n" (Java's also excludes \r and
 * U+0085/2028/2029), {@code $} is end of text ({@code \z}; Java's allows a final line
 * terminator), \s is [\t\n\f\r ] (Java adds \x0B), \b is ASCII (Java's is Unicode), and every
 * literal and class is written as {@code \x{...}} code points. Group numbers are RE2's (both
 * engines number capture groups by their opening parenthesis); names are not carried over. The
 * same parse also yields the flat form {@link AnchoredSequence} runs (one parser for both, hence
 * a little over 400 lines).
 */
final class Re2ToJava {
    private static final int MAX_RUNE = 0x10FFFF;
    private static final String WORD = "[0-9A-Za-z_]";

    private final String re;
    private int pos;
    private int groups;

    private Re2ToJava(String re) {
        this.re = re;
    }

    /** What a piece of the pattern became: its Java text and the facts the refusal rules need. */
    private record Node(String java, boolean nullable, boolean hasCapture, boolean single, List<AnchoredSequence.Part> seq) {
        Node(String java, boolean nullable, boolean hasCapture, boolean single) {
            this(java, nullable, hasCapture, single, null);
        }
    }

    /** Parts of a flat sequence for {@link AnchoredSequence} (a Node's seq is null where alternation, \b or a repeated group make it no flat sequence). */
    private static List<AnchoredSequence.Part> seq(AnchoredSequence.Part... parts) {
        return List.of(parts);
    }

    /** Thrown inside the parser when the pattern leaves the translatable subset. */
    private static final class Untranslatable extends Exception {
        Untranslatable() {
            super(null, null, false, false);
        }
    }

    /** The Java pattern text with RE2's meaning, or empty when the pattern is outside the subset. */
    static Optional<String> translate(String re2) {
        return parse(re2).map(Node::java);
    }

    /** The one-pass matcher for an anchored, deterministic sequence pattern, or null (see {@link AnchoredSequence}). */
    static AnchoredSequence sequence(String re2, int groups) {
        List<AnchoredSequence.Part> parts = parse(re2).map(Node::seq).orElse(null);
        return parts == null ? null : AnchoredSequence.of(parts, groups);
    }

    private static Optional<Node> parse(String re2) {
        Re2ToJava t = new Re2ToJava(re2);
        try {
            Node n = t.alternation();
            return t.pos == re2.length() ? Optional.of(n) : Optional.empty();
        } catch (Untranslatable | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Node alternation() throws Untranslatable {
        List<Node> alts = new ArrayList<>();
        alts.add(concatenation());
        while (pos < re.length() && re.charAt(pos) == '|') {
            pos++;
            alts.add(concatenation());
        }
        if (alts.size() == 1) {
            return alts.get(0);
        }
        StringBuilder sb = new StringBuilder();
        boolean nullable = false;
        boolean capture = false;
        for (Node a : alts) {
            sb.append(a == alts.get(0) ? "" : "|").append(a.java);
            nullable |= a.nullable;
            capture |= a.hasCapture;
        }
        return new Node(sb.toString(), nullable, capture, false);
    }

    private Node concatenation() throws Untranslatable {
        List<Node> parts = new ArrayList<>();
        while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
            parts.add(repetition());
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        StringBuilder sb = new StringBuilder();
        boolean nullable = true;
        boolean capture = false;
        List<AnchoredSequence.Part> seq = new ArrayList<>();
        for (Node n : parts) {
            sb.append(n.java);
            nullable &= n.nullable;
            capture |= n.hasCapture;
            if (seq != null && n.seq != null) {
                seq.addAll(n.seq);
            } else {
                seq = null;
            }
        }
        return new Node(sb.toString(), nullable, capture, false, seq);
    }

    private Node repetition() throws Untranslatable {
        Node atom = atom();
        if (pos >= re.length()) {
            return atom;
        }
        char c = re.charAt(pos);
        String op;
        boolean allowsCapture;
        int min;
        if (c == '*' || c == '+' || c == '?') {
            pos++;
            op = String.valueOf(c);
            allowsCapture = c == '?';
            min = c == '+' ? 1 : 0;
        } else if (c == '{') {
            int[] range = repeatRange();
            if (range == null) {
                return atom; // a '{' that is no repeat is a literal: the next atom()
            }
            op = range[1] == range[0] ? "{" + range[0] + "}"
                    : range[1] < 0 ? "{" + range[0] + ",}" : "{" + range[0] + "," + range[1] + "}";
            allowsCapture = false;
            min = range[0];
        } else {
            return atom;
        }
        if (pos < re.length() && re.charAt(pos) == '?') {
            pos++;
            op += "?";
        }
        if (pos < re.length() && "*+?{".indexOf(re.charAt(pos)) >= 0 && repeatFollows()) {
            throw new Untranslatable(); // RE2 refuses nested repetition operators anyway
        }
        // x? and x?? are (x|) and (|x) in both engines, also when x can match empty; loops are not
        if (atom.nullable && !op.startsWith("?") || atom.hasCapture && !allowsCapture) {
            throw new Untranslatable();
        }
        String body = atom.single ? atom.java : "(?:" + atom.java + ")";
        List<AnchoredSequence.Part> seq = null;
        if (atom.seq != null && atom.seq.size() == 1 && atom.seq.get(0) instanceof AnchoredSequence.Runes r
                && r.min() == 1 && r.max() == 1) {
            int max = op.startsWith("*") || op.startsWith("+") ? -1 : op.startsWith("?") ? 1 : maxOf(op);
            seq = seq(new AnchoredSequence.Runes(r.set(), min, max, !op.endsWith("?") || op.equals("?")));
        }
        return new Node(body + op, min == 0, atom.hasCapture, false, seq);
    }

    /** The upper bound of a written {n}, {n,} or {n,m} (with an optional lazy '?'): -1 for none. */
    private static int maxOf(String op) {
        String inner = op.substring(1, op.indexOf('}'));
        int comma = inner.indexOf(',');
        if (comma < 0) {
            return Integer.parseInt(inner);
        }
        return comma == inner.length() - 1 ? -1 : Integer.parseInt(inner.substring(comma + 1));
    }

    private boolean repeatFollows() {
        if (re.charAt(pos) != '{') {
            return true;
        }
        int save = pos;
        boolean is = repeatRange() != null;
        pos = save;
        return is;
    }

    /** {n}, {n,} or {n,m} at pos (max -1 for none), consumed; null (nothing consumed) if the text is no repeat. */
    private int[] repeatRange() {
        int p = pos + 1;
        int q = p;
        while (q < re.length() && Character.isDigit(re.charAt(q)) && re.charAt(q) < 128) {
            q++;
        }
        if (q == p || q >= re.length()) {
            return null;
        }
        int min = Integer.parseInt(re.substring(p, q));
        int max = min;
        if (re.charAt(q) == ',') {
            int r = ++q;
            while (q < re.length() && re.charAt(q) >= '0' && re.charAt(q) <= '9') {
                q++;
            }
            max = q == r ? -1 : Integer.parseInt(re.substring(r, q));
        }
        if (q >= re.length() || re.charAt(q) != '}') {
            return null;
        }
        pos = q + 1;
        return new int[] {min, max};
    }

    private Node atom() throws Untranslatable {
        int c = re.codePointAt(pos);
        switch (c) {
            case '(' -> {
                return group();
            }
            case '[' -> {
                pos++;
                return charClass(parseClass());
            }
            case '.' -> {
                pos++;
                return charClass(new RuneSet().add(0, '\n' - 1).add('\n' + 1, MAX_RUNE));
            }
            case '^' -> {
                pos++;
                return new Node("^", true, false, true, seq(new AnchoredSequence.Begin()));
            }
            case '$' -> {
                pos++;
                return new Node("\\z", true, false, true, seq(new AnchoredSequence.End()));
            }
            case '\\' -> {
                return escapeAtom();
            }
            case '*', '+', '?', ')' -> throw new Untranslatable();
            default -> {
                pos += Character.charCount(c);
                return literal(c);
            }
        }
    }

    private Node group() throws Untranslatable {
        pos++;
        boolean capture = true;
        int group = 0;
        if (re.startsWith("?P<", pos) || re.startsWith("?<", pos) && !re.startsWith("?<=", pos) && !re.startsWith("?<!", pos)) {
            int close = re.indexOf('>', pos);
            if (close < 0) {
                throw new Untranslatable();
            }
            pos = close + 1;
        } else if (re.startsWith("?:", pos)) {
            pos += 2;
            capture = false;
        } else if (re.startsWith("?", pos)) {
            throw new Untranslatable(); // flags
        }
        if (capture) {
            group = ++groups; // RE2 and Java number groups by their opening parenthesis
        }
        Node inner = alternation();
        if (pos >= re.length() || re.charAt(pos) != ')') {
            throw new Untranslatable();
        }
        pos++;
        if (capture) {
            List<AnchoredSequence.Part> seq = null;
            if (inner.seq != null) {
                seq = new ArrayList<>();
                seq.add(new AnchoredSequence.Open(group));
                seq.addAll(inner.seq);
                seq.add(new AnchoredSequence.Close(group));
            }
            return new Node("(" + inner.java + ")", inner.nullable, true, true, seq);
        }
        return new Node("(?:" + inner.java + ")", inner.nullable, inner.hasCapture, true, inner.seq);
    }

    private Node escapeAtom() throws Untranslatable {
        char e = pos + 1 < re.length() ? re.charAt(pos + 1) : 0;
        switch (e) {
            case 'A' -> {
                pos += 2;
                return new Node("\\A", true, false, true, seq(new AnchoredSequence.Begin()));
            }
            case 'z' -> {
                pos += 2;
                return new Node("\\z", true, false, true, seq(new AnchoredSequence.End()));
            }
            case 'b' -> {
                pos += 2;
                return new Node("(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))", true, false, true);
            }
            case 'B' -> {
                pos += 2;
                return new Node("(?:(?<=" + WORD + ")(?=" + WORD + ")|(?<!" + WORD + ")(?!" + WORD + "))", true, false, true);
            }
            default -> {
                RuneSet perl = perlClass();
                if (perl != null) {
                    return charClass(perl);
                }
                return literal(escapedRune());
            }
        }
    }

    /** \d \D \s \S \w \W at pos, consumed; null if none. */
    private RuneSet perlClass() {
        if (pos + 1 >= re.length() || re.charAt(pos) != '\\') {
            return null;
        }
        RuneSet s = switch (Character.toLowerCase(re.charAt(pos + 1))) {
            case 'd' -> new RuneSet().add('0', '9');
            case 's' -> new RuneSet().add('\t', '\n').add('\f', '\r').add(' ', ' ');
            case 'w' -> new RuneSet().add('0', '9').add('A', 'Z').add('_', '_').add('a', 'z');
            default -> null;
        };
        if (s == null) {
            return null;
        }
        boolean negated = Character.isUpperCase(re.charAt(pos + 1));
        pos += 2;
        return negated ? s.negate() : s;
    }

    /** One escaped literal rune at pos (\n, \x41, \x{263a}, \.), consumed. */
    private int escapedRune() throws Untranslatable {
        char e = re.charAt(pos + 1);
        pos += 2;
        int simple = "afnrtv".indexOf(e);
        if (simple >= 0) {
            return new int[] {7, '\f', '\n', '\r', '\t', 11}[simple];
        }
        if (e == 'x') {
            boolean braced = pos < re.length() && re.charAt(pos) == '{';
            int start = braced ? pos + 1 : pos;
            int end = braced ? re.indexOf('}', start) : pos + 2;
            if (end < 0) {
                throw new Untranslatable();
            }
            pos = braced ? end + 1 : end;
            int v = Integer.parseInt(re.substring(start, end), 16);
            if (v > MAX_RUNE) {
                throw new Untranslatable();
            }
            return v;
        }
        if (e < 128 && !Character.isLetterOrDigit(e)) {
            return e; // escaped punctuation is itself
        }
        throw new Untranslatable(); // octal, \p, \Q, \C and the like: RE2/J handles them
    }

    /** The inside of [...] after '[', up to and including ']'. */
    private RuneSet parseClass() throws Untranslatable {
        boolean negated = false;
        if (pos < re.length() && re.charAt(pos) == '^') {
            negated = true;
            pos++;
        }
        RuneSet set = new RuneSet();
        boolean first = true;
        while (pos < re.length() && (re.charAt(pos) != ']' || first)) {
            first = false;
            if (re.startsWith("[:", pos)) {
                int close = re.indexOf(":]", pos + 2);
                RuneSet posix = close < 0 ? null : RuneSet.posix(re.substring(pos + 2, close));
                if (posix != null) {
                    set.addAll(posix);
                    pos = close + 2;
                    continue;
                }
            }
            RuneSet perl = perlClass();
            if (perl != null) {
                set.addAll(perl);
                continue;
            }
            int lo = classRune();
            int hi = lo;
            if (pos + 1 < re.length() && re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
                pos++;
                hi = classRune();
                if (hi < lo) {
                    throw new Untranslatable();
                }
            }
            set.add(lo, hi);
        }
        if (pos >= re.length()) {
            throw new Untranslatable();
        }
        pos++; // ']'
        return negated ? set.negate() : set;
    }

    private int classRune() throws Untranslatable {
        if (re.charAt(pos) == '\\') {
            if (pos + 1 < re.length() && "dDsSwWpP".indexOf(re.charAt(pos + 1)) >= 0) {
                throw new Untranslatable(); // a class where a range end belongs
            }
            return escapedRune();
        }
        int c = re.codePointAt(pos);
        pos += Character.charCount(c);
        return c;
    }

    private static Node literal(int c) {
        return new Node(RuneSet.javaRune(c), false, false, true, seq(new AnchoredSequence.Runes(new RuneSet().add(c, c), 1, 1, true)));
    }

    private static Node charClass(RuneSet set) {
        if (set.isEmpty()) {
            return new Node("(?!)", false, false, true); // RE2 allows a class that matches nothing
        }
        return new Node(set.javaClass(), false, false, true, seq(new AnchoredSequence.Runes(set, 1, 1, true)));
    }

}

package tailflow.agent.stages;

import java.util.ArrayList;
import java.util.List;

/** A set of Unicode code points as sorted, disjoint, non-adjacent ranges: what an RE2 character class matches. */
final class RuneSet {
    private static final int MAX_RUNE = 0x10FFFF;
    /** Pairs lo, hi (inclusive), sorted and merged. */
    private final List<int[]> ranges = new ArrayList<>();

    private static final RuneSet DIGIT = new RuneSet().add('0', '9');
    private static final RuneSet WORD = new RuneSet().add('0', '9').add('A', 'Z').add('_', '_').add('a', 'z');

    RuneSet add(int lo, int hi) {
        List<int[]> out = new ArrayList<>();
        int[] added = {lo, hi};
        boolean placed = false;
        for (int[] r : ranges) {
            if (r[1] + 1 < added[0]) {
                out.add(r);
            } else if (added[1] + 1 < r[0]) {
                if (!placed) {
                    out.add(added);
                    placed = true;
                }
                out.add(r);
            } else {
                added = new int[] {Math.min(r[0], added[0]), Math.max(r[1], added[1])};
            }
        }
        if (!placed) {
            out.add(added);
        }
        ranges.clear();
        ranges.addAll(out);
        return this;
    }

    RuneSet addAll(RuneSet other) {
        for (int[] r : other.ranges) {
            add(r[0], r[1]);
        }
        return this;
    }

    /** Every code point 0..10FFFF not in this set. */
    RuneSet negate() {
        RuneSet out = new RuneSet();
        int next = 0;
        for (int[] r : ranges) {
            if (r[0] > next) {
                out.ranges.add(new int[] {next, r[0] - 1});
            }
            next = r[1] + 1;
        }
        if (next <= MAX_RUNE) {
            out.ranges.add(new int[] {next, MAX_RUNE});
        }
        return out;
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    int size() {
        return ranges.size();
    }

    int lo(int i) {
        return ranges.get(i)[0];
    }

    int hi(int i) {
        return ranges.get(i)[1];
    }

    /**
     * This (non-empty) set in java.util.regex syntax: Java's own \d and \w where they are RE2's
     * ASCII sets (no UNICODE_CHARACTER_CLASS; they test faster than ranges), a set reaching U+10FFFF
     * (\S, [^"]) as its complement (one negated test, not a chain of range predicates), every
     * character as a code point escape so no Java class syntax (&&, nested []) can leak in.
     */
    String javaClass() {
        String shorthand = equals(DIGIT) ? "\\d" : equals(WORD) ? "\\w"
                : equals(DIGIT.negate()) ? "\\D" : equals(WORD.negate()) ? "\\W" : null;
        if (shorthand != null) {
            return shorthand;
        }
        boolean negated = hi(size() - 1) == MAX_RUNE && lo(0) == 0;
        RuneSet written = negated ? negate() : this;
        StringBuilder sb = new StringBuilder(negated ? "[^" : "[");
        for (int i = 0; i < written.size(); i++) {
            sb.append(javaRune(written.lo(i)));
            if (written.hi(i) != written.lo(i)) {
                sb.append('-').append(javaRune(written.hi(i)));
            }
        }
        return sb.append(']').toString();
    }

    /** One code point in java.util.regex syntax: ASCII letters and digits as themselves, anything else escaped. */
    static String javaRune(int c) {
        if (c < 128 && Character.isLetterOrDigit(c)) {
            return String.valueOf((char) c);
        }
        return "\\x{" + Integer.toHexString(c) + "}";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RuneSet other) || other.ranges.size() != ranges.size()) {
            return false;
        }
        for (int i = 0; i < ranges.size(); i++) {
            if (!java.util.Arrays.equals(ranges.get(i), other.ranges.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int[] r : ranges) {
            h = 31 * h + java.util.Arrays.hashCode(r);
        }
        return h;
    }

    /** RE2's ASCII POSIX classes ({@code [[:alpha:]]}, {@code [[:^digit:]]}); null for an unknown name. */
    static RuneSet posix(String name) {
        boolean negated = name.startsWith("^");
        RuneSet s = new RuneSet();
        switch (negated ? name.substring(1) : name) {
            case "alnum" -> s.add('0', '9').add('A', 'Z').add('a', 'z');
            case "alpha" -> s.add('A', 'Z').add('a', 'z');
            case "ascii" -> s.add(0, 0x7F);
            case "blank" -> s.add('\t', '\t').add(' ', ' ');
            case "cntrl" -> s.add(0, 0x1F).add(0x7F, 0x7F);
            case "digit" -> s.add('0', '9');
            case "graph" -> s.add('!', '~');
            case "lower" -> s.add('a', 'z');
            case "print" -> s.add(' ', '~');
            case "punct" -> s.add('!', '/').add(':', '@').add('[', '`').add('{', '~');
            case "space" -> s.add('\t', '\r').add(' ', ' ');
            case "upper" -> s.add('A', 'Z');
            case "word" -> s.add('0', '9').add('A', 'Z').add('_', '_').add('a', 'z');
            case "xdigit" -> s.add('0', '9').add('A', 'F').add('a', 'f');
            default -> {
                return null;
            }
        }
        return negated ? s.negate() : s;
    }
}

package tailflow.agent.stages;

import java.util.Arrays;
import java.util.List;

/**
 * A matcher for the commonest shape of a parsing regex, a {@code ^}-anchored sequence of character
 * sets with counts and capture groups, such as {@code ^(?P<ts>\w{3} +\d+ \d\d:\d\d:\d\d) (?P<host>\S+)},
 * when the match is deterministic: every set whose count may vary is followed by a set (taken at
 * least once) with which it shares no character, or by the end of the pattern or text. Then at
 * every character there is exactly one way on (stay in the set or move to the next), so one
 * forward pass finds the only possible match, which is therefore RE2's leftmost-first one (Go's
 * regexp runs such patterns through its one-pass matcher for the same reason). A variable set at
 * the very end takes as many characters as it may (greedy) or as few (lazy), as RE2 prefers.
 * Linear time, no allocation; under the agent's C1-only JIT several times faster than
 * java.util.regex (String.charAt per character measured faster there than bulk copies, which C1
 * does not intrinsify). {@link #of} says null for any pattern outside this shape.
 */
final class AnchoredSequence {

    /** One element of the sequence, in pattern order (built by {@link Re2ToJava}). */
    sealed interface Part permits Runes, Open, Close, Begin, End {}

    /** A character set taken min..max times ({@code max} -1: unbounded). */
    record Runes(RuneSet set, int min, int max, boolean greedy) implements Part {}

    /** Capture group {@code group} starts here. */
    record Open(int group) implements Part {}

    /** Capture group {@code group} ends here. */
    record Close(int group) implements Part {}

    /** {@code ^} or {@code \A}: beginning of text. */
    record Begin() implements Part {}

    /** {@code $} or {@code \z}: end of text. */
    record End() implements Part {}

    private static final int OPEN = 0;
    private static final int CLOSE = 1;
    private static final int RUNES = 2;
    private static final int END = 3;
    /** sets taken exactly once, one after the other (arg: the index after the last): one tight loop */
    private static final int RUN = 4;

    private final int[] kind;
    private final int[] arg;
    private final int[] min;
    private final int[] limit;
    private final long[] asciiLow;
    private final long[] asciiHigh;
    /** per set: sorted lo,hi pairs of its non-ASCII ranges */
    private final int[][] wide;
    private final int groups;

    private AnchoredSequence(List<Part> parts, int groups) {
        int n = parts.size();
        kind = new int[n];
        arg = new int[n];
        min = new int[n];
        limit = new int[n];
        asciiLow = new long[n];
        asciiHigh = new long[n];
        wide = new int[n][];
        this.groups = groups;
        for (int i = 0; i < n; i++) {
            Part p = parts.get(i);
            if (p instanceof Open o) {
                kind[i] = OPEN;
                arg[i] = o.group();
            } else if (p instanceof Close c) {
                kind[i] = CLOSE;
                arg[i] = c.group();
            } else if (p instanceof End) {
                kind[i] = END;
            } else if (p instanceof Runes r) {
                kind[i] = RUNES;
                min[i] = r.min();
                boolean last = next(parts, i) == null;
                limit[i] = last && !r.greedy() ? r.min() : r.max() < 0 ? Integer.MAX_VALUE : r.max();
                int[] w = new int[0];
                for (int k = 0; k < r.set().size(); k++) {
                    for (int c = r.set().lo(k); c <= Math.min(r.set().hi(k), 127); c++) {
                        if (c < 64) {
                            asciiLow[i] |= 1L << c;
                        } else {
                            asciiHigh[i] |= 1L << (c - 64);
                        }
                    }
                    if (r.set().hi(k) > 127) {
                        w = Arrays.copyOf(w, w.length + 2);
                        w[w.length - 2] = Math.max(128, r.set().lo(k));
                        w[w.length - 1] = r.set().hi(k);
                    }
                }
                wide[i] = w;
            }
        }
        for (int i = 0; i < n; i++) {
            int j = i;
            while (j < n && kind[j] == RUNES && min[j] == 1 && limit[j] == 1) {
                j++;
            }
            if (j - i >= 2) {
                kind[i] = RUN;
                arg[i] = j;
                i = j - 1;
            }
        }
    }

    /**
     * The matcher for {@code parts} (Begin dropped), or null when the pattern is not an anchored,
     * deterministic sequence. {@code groups}: the pattern's number of capture groups.
     */
    static AnchoredSequence of(List<Part> parts, int groups) {
        int first = 0;
        while (first < parts.size() && parts.get(first) instanceof Open) {
            first++;
        }
        if (first == parts.size() || !(parts.get(first) instanceof Begin)) {
            return null;
        }
        List<Part> rest = new java.util.ArrayList<>(parts);
        rest.remove(first);
        for (int i = 0; i < rest.size(); i++) {
            Part p = rest.get(i);
            if (p instanceof Begin) {
                return null;
            }
            if (p instanceof End && rest.subList(i + 1, rest.size()).stream().anyMatch(q -> !(q instanceof Close))) {
                return null;
            }
            if (p instanceof Runes r && r.max() != r.min()) {
                Part after = next(rest, i);
                boolean deterministic = after == null || after instanceof End
                        || after instanceof Runes f && f.min() >= 1 && disjoint(r.set(), f.set());
                if (!deterministic) {
                    return null;
                }
            }
        }
        // \d{4} as four sets taken once: runs of those match in one loop without per-part set-up
        List<Part> expanded = new java.util.ArrayList<>();
        for (Part p : rest) {
            if (p instanceof Runes r && r.min() == r.max() && r.min() > 1 && r.min() <= 16) {
                for (int k = 0; k < r.min(); k++) {
                    expanded.add(new Runes(r.set(), 1, 1, true));
                }
            } else {
                expanded.add(p);
            }
        }
        return new AnchoredSequence(expanded, groups);
    }

    /** The next part after {@code i} that reads text or asserts its end (groups skipped), or null at the end of the pattern. */
    private static Part next(List<Part> parts, int i) {
        for (int k = i + 1; k < parts.size(); k++) {
            if (parts.get(k) instanceof Runes || parts.get(k) instanceof End || parts.get(k) instanceof Begin) {
                return parts.get(k);
            }
        }
        return null;
    }

    private static boolean disjoint(RuneSet a, RuneSet b) {
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            if (a.hi(i) < b.lo(j)) {
                i++;
            } else if (b.hi(j) < a.lo(i)) {
                j++;
            } else {
                return false;
            }
        }
        return true;
    }

    /** An array for {@link #match}'s spans: start and end of the match and of every group. */
    int[] newSpans() {
        return new int[2 * (groups + 1)];
    }

    /** Matches at the start of {@code s}; spans[2g], spans[2g+1] then hold group g's span (g 0: the match). */
    boolean match(String s, int[] spans) {
        Arrays.fill(spans, -1);
        int n = s.length();
        int p = 0;
        for (int i = 0; i < kind.length; i++) {
            switch (kind[i]) {
                case OPEN -> spans[2 * arg[i]] = p;
                case CLOSE -> spans[2 * arg[i] + 1] = p;
                case END -> {
                    if (p != n) {
                        return false;
                    }
                }
                case RUN -> {
                    // the per-character test is written out in both loops: C1 inlines no method this big
                    int end = arg[i];
                    for (int k = i; k < end; k++) {
                        if (p >= n) {
                            return false;
                        }
                        char c = s.charAt(p);
                        if (c < 128) {
                            // a shift by c uses c's low six bits: the high word holds 64..127
                            if (((c < 64 ? asciiLow[k] : asciiHigh[k]) & (1L << c)) == 0) {
                                return false;
                            }
                            p++;
                        } else {
                            int cp = s.codePointAt(p);
                            if (!inWide(wide[k], cp)) {
                                return false;
                            }
                            p += Character.charCount(cp);
                        }
                    }
                    i = end - 1;
                }
                default -> {
                    int count = 0;
                    int max = limit[i];
                    long low = asciiLow[i];
                    long high = asciiHigh[i];
                    while (count < max && p < n) {
                        char c = s.charAt(p);
                        if (c < 128) {
                            if (((c < 64 ? low : high) & (1L << c)) == 0) {
                                break;
                            }
                            p++;
                        } else {
                            int cp = s.codePointAt(p);
                            if (!inWide(wide[i], cp)) {
                                break;
                            }
                            p += Character.charCount(cp);
                        }
                        count++;
                    }
                    if (count < min[i]) {
                        return false;
                    }
                }
            }
        }
        spans[0] = 0;
        spans[1] = p;
        return true;
    }

    private static boolean inWide(int[] ranges, int cp) {
        for (int k = 0; k < ranges.length; k += 2) {
            if (cp < ranges[k]) {
                return false;
            }
            if (cp <= ranges[k + 1]) {
                return true;
            }
        }
        return false;
    }
}

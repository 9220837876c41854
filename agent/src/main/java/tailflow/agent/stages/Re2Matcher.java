package tailflow.agent.stages;

import com.google.re2j.Pattern;
import java.util.Optional;

/**
 * Finds the first match of an RE2 pattern with its groups, as Go's FindStringSubmatchIndex does,
 * fast: through the one-pass {@link AnchoredSequence} when the pattern is an anchored deterministic
 * sequence (the usual parsing regex), else through the exact java.util.regex translation ({@link Re2ToJava}) when there is one, with
 * the characters it may read capped at {@value #BUDGET_PER_CHAR} per input character (plus a
 * little), and through RE2/J when the pattern has no translation, the budget runs out, the
 * backtracker's recursion overflows the stack, or its match starts inside a surrogate pair (RE2
 * steps by code point, java.util.regex by char). So results are RE2's and time stays linear in
 * the input. One instance per stage: not thread-safe.
 */
final class Re2Matcher {
    static final int BUDGET_PER_CHAR = 32;
    private static final int BUDGET_BASE = 256;

    private final com.google.re2j.Matcher re2;
    /** The one-pass matcher when the pattern is an anchored deterministic sequence, else null. */
    private final AnchoredSequence sequence;
    private final int[] spans;
    private boolean sequenceMatched;
    private final java.util.regex.Matcher backtracker;
    private final BudgetedText text = new BudgetedText();
    private boolean javaMatched;
    private String input = "";
    private long fallbacks;

    Re2Matcher(Pattern pattern) {
        this(pattern, Re2ToJava.translate(pattern.pattern()), Re2ToJava.sequence(pattern.pattern(), pattern.groupCount()));
    }

    /** With a given translation and sequence matcher (tests force the other engines with empty and null). */
    Re2Matcher(Pattern pattern, Optional<String> translation, AnchoredSequence sequence) {
        this.re2 = pattern.matcher("");
        this.sequence = sequence;
        this.spans = sequence == null ? null : sequence.newSpans();
        java.util.regex.Matcher j = null;
        if (translation.isPresent()) {
            try {
                j = java.util.regex.Pattern.compile(translation.get()).matcher("");
                if (j.groupCount() != pattern.groupCount()) {
                    j = null; // cannot happen for a correct translation; RE2/J is the safe answer
                }
            } catch (RuntimeException e) {
                j = null;
            }
        }
        this.backtracker = j;
    }

    /** True when matching goes through java.util.regex (tests and the bench say which engine ran). */
    boolean translated() {
        return backtracker != null;
    }

    /** True when matching goes through the one-pass {@link AnchoredSequence}. */
    boolean onePass() {
        return sequence != null;
    }

    /** Inputs that went to RE2/J although the pattern is translated (budget, stack, surrogates). */
    long fallbacks() {
        return fallbacks;
    }

    /** Looks for the leftmost-first match in {@code s}; its groups are then read with {@link #start}/{@link #end}/{@link #group}. */
    boolean find(String s) {
        input = s;
        if (sequence != null) {
            sequenceMatched = sequence.match(s, spans);
            return sequenceMatched;
        }
        if (backtracker != null) {
            try {
                backtracker.reset(text.reset(s, (long) BUDGET_PER_CHAR * s.length() + BUDGET_BASE));
                boolean found = backtracker.find();
                if (!found || !insidePair(s, backtracker.start())) {
                    javaMatched = found;
                    return found;
                }
            } catch (BudgetedText.Exhausted | StackOverflowError e) {
                // fall through to RE2/J
            }
            fallbacks++;
        }
        javaMatched = false;
        return re2.reset(s).find();
    }

    private static boolean insidePair(String s, int i) {
        return i > 0 && i < s.length() && Character.isLowSurrogate(s.charAt(i)) && Character.isHighSurrogate(s.charAt(i - 1));
    }

    int groupCount() {
        return re2.groupCount();
    }

    /** Start of group {@code g} (0: the whole match) in the last found match, -1 if it did not take part. */
    int start(int g) {
        return sequenceMatched ? spans[2 * g] : javaMatched ? backtracker.start(g) : re2.start(g);
    }

    int end(int g) {
        return sequenceMatched ? spans[2 * g + 1] : javaMatched ? backtracker.end(g) : re2.end(g);
    }

    /** Text of group {@code g}, or null if it did not take part. */
    String group(int g) {
        int s = start(g);
        return s < 0 ? null : input.substring(s, end(g));
    }
}

package tailflow.agent.stages;

/**
 * A String as the CharSequence java.util.regex reads, counting the characters it reads and
 * stopping the match (with {@link Exhausted}) once a budget is spent: a backtracking blow-up is cut
 * off after work linear in the input, and {@link Re2Matcher} then asks RE2/J instead.
 */
final class BudgetedText implements CharSequence {

    /** The budget ran out; stackless, as it is control flow and not an error. */
    static final class Exhausted extends RuntimeException {
        Exhausted() {
            super(null, null, false, false);
        }
    }

    private final Exhausted exhausted = new Exhausted();
    private String text = "";
    private long left;

    /** Starts a new match over {@code s} allowed to read at most {@code budget} characters. */
    BudgetedText reset(String s, long budget) {
        text = s;
        left = budget;
        return this;
    }

    @Override
    public char charAt(int index) {
        if (--left < 0) {
            throw exhausted;
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.substring(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}

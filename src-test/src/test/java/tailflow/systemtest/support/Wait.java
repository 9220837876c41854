package tailflow.systemtest.support;

import java.time.Duration;

/**
 * Waits for a condition with a deadline and a message, instead of sleeping and hoping: polls
 * {@code condition} every {@code interval} until it holds; at the deadline fails with
 * "waited TIMEOUT for WHAT" plus whatever the caller's context shows (an agent log, a journal).
 * A condition that throws an unchecked exception ends the wait with it (a process that died
 * while we waited fails at once, not at the deadline).
 *
 * <pre>Wait.upTo(Duration.ofSeconds(30), "the marker at Loki").until(() -> receiver.has(marker));</pre>
 */
public record Wait(Duration timeout, String what, Duration interval) {

    /** Something that holds or not yet; may throw (an unchecked exception ends the wait). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** What to show when the wait fails: the log tail or journal that explains why. */
    @FunctionalInterface
    public interface Context {
        String describe() throws Exception;
    }

    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    public static Wait upTo(Duration timeout, String what) {
        return new Wait(timeout, what, DEFAULT_INTERVAL);
    }

    /** The same wait, polling every {@code pollInterval} (slow probes such as ssh poll less often). */
    public Wait every(Duration pollInterval) {
        return new Wait(timeout, what, pollInterval);
    }

    /** Returns once {@code condition} holds; throws {@link AssertionError} at the deadline. */
    public void until(Condition condition) {
        until(condition, () -> "");
    }

    /** As {@link #until(Condition)}; the failure message carries {@code context.describe()}. */
    public void until(Condition condition, Context context) {
        if (!poll(condition)) {
            String shown = describe(context);
            throw new AssertionError("waited " + timeout + " for " + what + (shown.isEmpty() ? "" : "; " + shown));
        }
    }

    /** Polls until {@code condition} holds (true) or the deadline passes (false). */
    public boolean poll(Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (check(condition)) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private boolean check(Condition condition) {
        try {
            return condition.holds();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot check " + what + ": " + e, e);
        }
    }

    private static String describe(Context context) {
        try {
            return context.describe();
        } catch (Exception e) {
            return "(no context: " + e + ")";
        }
    }
}

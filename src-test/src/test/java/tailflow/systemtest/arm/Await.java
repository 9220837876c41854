package tailflow.systemtest.arm;

import java.time.Duration;

/** Polls a condition until it holds or a deadline passes: no sleep-and-hope. */
final class Await {
    /** A condition that may throw, polled until it holds. */
    interface Condition {
        boolean holds() throws Exception;
    }

    /** What to show when the wait fails (the agent's output, a log tail, ...). */
    interface Context {
        String describe() throws Exception;
    }

    private Await() {}

    static void until(String what, Duration timeout, Condition condition, Context context) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for " + what + "; " + context.describe());
            }
            Thread.sleep(250);
        }
    }
}

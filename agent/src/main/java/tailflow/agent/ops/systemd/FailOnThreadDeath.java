package tailflow.agent.ops.systemd;

import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the death of any agent thread by an uncaught exception into a request to stop with a
 * non-zero exit, so that systemd's {@code Restart=on-failure} brings up a fresh agent.
 */
final class FailOnThreadDeath implements Thread.UncaughtExceptionHandler {
    private static final Logger LOG = Logger.getLogger(FailOnThreadDeath.class.getName());

    private final Consumer<String> fail;

    FailOnThreadDeath(Consumer<String> fail) {
        this.fail = fail;
    }

    @Override
    public void uncaughtException(Thread thread, Throwable cause) {
        LOG.log(Level.SEVERE, "thread " + thread.getName() + " died: " + cause, cause);
        fail.accept("thread " + thread.getName() + " died: " + cause);
    }
}

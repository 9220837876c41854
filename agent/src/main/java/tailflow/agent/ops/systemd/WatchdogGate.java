package tailflow.agent.ops.systemd;

import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Decides, on every watchdog tick, whether WATCHDOG=1 goes out: only while no thread is stalled.
 * The first tick of a stall logs an error and puts the stalled threads into STATUS= (so
 * {@code systemctl status} says why systemd is about to restart the agent); the first tick after
 * it ends restores the status line and resumes the pings. Called from one thread (the ticker).
 */
final class WatchdogGate {
    private static final Logger LOG = Logger.getLogger(WatchdogGate.class.getName());
    static final String WITHHELD = "watchdog withheld, stalled: ";

    private final Notifier notifier;
    private final Supplier<String> statusLine;
    private boolean withholding;

    WatchdogGate(Notifier notifier, Supplier<String> statusLine) {
        this.notifier = notifier;
        this.statusLine = statusLine;
    }

    void tick(List<String> stalled) {
        if (stalled.isEmpty()) {
            if (withholding) {
                withholding = false;
                LOG.warning("every thread progresses again; WATCHDOG=1 resumes");
                notifier.status(statusLine.get());
            }
            notifier.watchdog();
        } else if (!withholding) {
            withholding = true;
            String why = String.join("; ", stalled);
            LOG.severe("not sending WATCHDOG=1, systemd restarts the agent when WatchdogSec= runs out: " + why);
            notifier.status(WITHHELD + why);
        }
    }
}

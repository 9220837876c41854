package tailflow.agent.ops.systemd;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Routes SIGTERM and SIGINT to a stop request and SIGHUP to a reload request.
 *
 * <p>Handling SIGTERM here replaces the JVM's default (run shutdown hooks, exit 143), so the agent
 * drains and exits 0, which systemd records as a clean stop. Handlers only enqueue a request: the
 * work happens on the daemon's own thread, never on the JVM's signal dispatcher thread.
 * {@link #close} puts the previous handlers back (for tests sharing a JVM).
 *
 * <p>A JVM started with SIGHUP ignored (under {@code nohup}) cannot get SIGHUP at all; that is
 * said once at start, so nobody waits for a reload that cannot happen.
 */
public final class Signals implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Signals.class.getName());
    static final String HUP_IGNORED = "reload by SIGHUP unavailable: SIGHUP is ignored"
            + " (inherited, e.g. from nohup); restart the agent to apply a new config";

    private final List<Installed> installed = new ArrayList<>();
    private boolean reloadBySighup = true;

    private record Installed(Signal signal, SignalHandler previous) {}

    private Signals() {}

    public static Signals install(Runnable onStop, Runnable onReload) {
        Signals signals = new Signals();
        signals.handle("TERM", onStop);
        signals.handle("INT", onStop);
        if (SignalDisposition.ignored(SignalDisposition.SIGHUP).orElse(false)) {
            signals.reloadBySighup = false;
            LOG.warning(HUP_IGNORED);
        } else {
            signals.handle("HUP", onReload);
        }
        return signals;
    }

    /** False when SIGHUP was ignored at start and no reload can come from it. */
    public boolean reloadBySighup() {
        return reloadBySighup;
    }

    private void handle(String name, Runnable action) {
        Signal signal = new Signal(name);
        installed.add(new Installed(signal, Signal.handle(signal, s -> action.run())));
    }

    @Override
    public void close() {
        for (Installed i : installed) {
            Signal.handle(i.signal(), i.previous());
        }
        installed.clear();
    }
}

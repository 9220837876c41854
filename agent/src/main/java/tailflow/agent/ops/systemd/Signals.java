package tailflow.agent.ops.systemd;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Routes SIGTERM and SIGINT to a stop request and SIGHUP to a reload request.
 *
 * <p>Handling SIGTERM here replaces the JVM's default (run shutdown hooks, exit 143), so the agent
 * drains and exits 0, which systemd records as a clean stop. Handlers only enqueue a request: the
 * work happens on the daemon's own thread, never on the JVM's signal dispatcher thread.
 * {@link #close} puts the previous handlers back (for tests sharing a JVM).
 */
public final class Signals implements AutoCloseable {
    private final List<Installed> installed = new ArrayList<>();

    private record Installed(Signal signal, SignalHandler previous) {}

    private Signals() {}

    public static Signals install(Runnable onStop, Runnable onReload) {
        Signals signals = new Signals();
        signals.handle("TERM", onStop);
        signals.handle("INT", onStop);
        signals.handle("HUP", onReload);
        return signals;
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

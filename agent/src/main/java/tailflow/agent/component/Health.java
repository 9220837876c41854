package tailflow.agent.component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * The agent's health as the components report it: which components run (the runtime sets
 * that), problems a component wants {@code /ready} to name (e.g. Loki answering 401), and the
 * heartbeats of threads that must keep moving (for the watchdog). Read through {@link HealthView}.
 */
public final class Health implements HealthView {
    private final LongSupplier nanoTime;
    private volatile List<Component> running = List.of();
    private final Map<String, String> problems = new ConcurrentSkipListMap<>();
    private final Set<Heartbeat> heartbeats = ConcurrentHashMap.newKeySet();

    /** @param nanoTime monotonic time for heartbeats ({@code System::nanoTime}; tests step their own) */
    public Health(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The runtime's part: the components that run now (after they started). */
    public void running(List<Component> components) {
        running = List.copyOf(components);
    }

    /**
     * The runtime's part: every component stopped. Their heartbeats and problems are forgotten, so
     * a thread that did not stop in time does not hold the next components' watchdog hostage, and
     * the components of a reload report afresh.
     */
    public void stopped() {
        running = List.of();
        heartbeats.clear();
        problems.clear();
    }

    /** Reports (or replaces) the problem of {@code source}, e.g. {@code loki 10.0.0.1:3100}; shown by /ready. */
    public void problem(String source, String reason) {
        problems.put(source, reason);
    }

    /** The problem of {@code source} is gone. */
    public void resolved(String source) {
        problems.remove(source);
    }

    /**
     * A heartbeat for a thread that must not go silent for longer than {@code maxSilence} (choose
     * it above the longest call the thread makes legitimately, e.g. an HTTP timeout). Close it when
     * the thread ends.
     */
    public Heartbeat heartbeat(String name, Duration maxSilence) {
        Heartbeat[] self = new Heartbeat[1];
        self[0] = new Heartbeat(name, maxSilence, nanoTime, () -> heartbeats.remove(self[0]));
        heartbeats.add(self[0]);
        return self[0];
    }

    @Override
    public boolean ready() {
        List<Component> current = running;
        return !current.isEmpty() && problems.isEmpty() && current.stream().allMatch(Component::ready);
    }

    @Override
    public List<String> notReady() {
        List<String> why = new ArrayList<>();
        List<Component> current = running;
        if (current.isEmpty()) {
            why.add("nothing runs");
        }
        current.stream().filter(c -> !c.ready()).map(Component::name).forEach(why::add);
        problems.forEach((source, reason) -> why.add(source + ": " + reason));
        return why;
    }

    @Override
    public List<String> stalled() {
        long now = nanoTime.getAsLong();
        List<String> stalled = new ArrayList<>();
        for (Heartbeat h : heartbeats) {
            h.stall(now).ifPresent(stalled::add);
        }
        stalled.sort(null);
        return stalled;
    }
}

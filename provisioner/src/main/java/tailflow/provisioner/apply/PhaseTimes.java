package tailflow.provisioner.apply;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Milliseconds per phase of one host's run, for {@code --timings}. A phase that repeats (several
 * install steps) adds up; phases are reported in {@link #ORDER}, whatever order they ran in.
 */
final class PhaseTimes {

    static final List<String> ORDER = List.of("connect", "facts", "upload", "unpack", "install", "restart", "verify");

    private final Clock clock;
    private final Map<String, Long> millis = new LinkedHashMap<>();
    private long mark;

    PhaseTimes(Clock clock) {
        this.clock = clock;
        this.mark = clock.millis();
    }

    /** Starts timing from now (what ran since the last mark is not counted). */
    synchronized void restart() {
        mark = clock.millis();
    }

    /** Counts the time since the last mark as {@code phase} and marks now. */
    synchronized void end(String phase) {
        long now = clock.millis();
        millis.merge(phase, now - mark, Long::sum);
        mark = now;
    }

    synchronized Map<String, Long> snapshot() {
        Map<String, Long> ordered = new LinkedHashMap<>();
        ORDER.stream().filter(millis::containsKey).forEach(p -> ordered.put(p, millis.get(p)));
        return ordered;
    }
}

package tailflow.agent.component;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One thread's sign of life for the watchdog. The thread calls {@link #beat} whenever it makes
 * progress or wakes from a bounded wait, {@link #idle} before it blocks waiting for work another
 * thread hands it (that thread has its own heartbeat), and {@link #pausing} before a deliberate
 * long wait such as a retry backoff. A thread that does none of these within its allowed silence
 * is stalled: blocked in a call that does not return, or spinning without getting anywhere.
 *
 * <p>Written by its own thread, read by the watchdog's: plain volatile fields, no locks.
 */
public final class Heartbeat implements AutoCloseable {
    private static final long IDLE = Long.MAX_VALUE;

    private final String name;
    private final long maxSilenceNanos;
    private final LongSupplier nanoTime;
    private final Runnable onClose;
    private volatile long deadline;
    private volatile long lastSign;

    Heartbeat(String name, Duration maxSilence, LongSupplier nanoTime, Runnable onClose) {
        if (maxSilence.isNegative() || maxSilence.isZero()) {
            throw new IllegalArgumentException("maxSilence must be positive: " + maxSilence);
        }
        this.name = name;
        this.maxSilenceNanos = maxSilence.toNanos();
        this.nanoTime = nanoTime;
        this.onClose = onClose;
        beat();
    }

    public String name() {
        return name;
    }

    /** Progress (or a bounded wait ended): the next sign is due within the allowed silence. */
    public void beat() {
        long now = nanoTime.getAsLong();
        lastSign = now;
        deadline = now + maxSilenceNanos;
    }

    /** About to block until another thread hands over work: no deadline until the next {@link #beat}. */
    public void idle() {
        lastSign = nanoTime.getAsLong();
        deadline = IDLE;
    }

    /** About to wait {@code wait} on purpose (a backoff): the deadline moves out by that much. */
    public void pausing(Duration wait) {
        long now = nanoTime.getAsLong();
        lastSign = now;
        deadline = now + Math.min(wait.toNanos(), IDLE / 4) + maxSilenceNanos;
    }

    /** {@code name: no progress for Ns} when the deadline has passed at {@code now}. */
    Optional<String> stall(long now) {
        long due = deadline;
        if (due == IDLE || now - due <= 0) {
            return Optional.empty();
        }
        return Optional.of(name + ": no progress for " + Duration.ofNanos(now - lastSign).toSeconds() + "s");
    }

    /** The thread ends: it no longer counts. */
    @Override
    public void close() {
        onClose.run();
    }
}

package tailflow.agent.loki;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the n-th delay is drawn uniformly from [d/2, d] where
 * d = min(max, min * 2^n). tailflow never gives up: after the cap it keeps retrying at the cap.
 */
public final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private final RandomGenerator random;
    private int attempt;

    public Backoff(Duration min, Duration max, RandomGenerator random) {
        this.minNanos = Math.max(1, min.toNanos());
        this.maxNanos = Math.max(minNanos, max.toNanos());
        this.random = random;
    }

    public Duration next() {
        long d = attempt >= 62 ? maxNanos : Math.min(maxNanos, minNanos << Math.min(attempt, 40));
        if (d < 0) {
            d = maxNanos;
        }
        attempt++;
        long half = d / 2;
        return Duration.ofNanos(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }

    public void reset() {
        attempt = 0;
    }

    public int attempts() {
        return attempt;
    }
}

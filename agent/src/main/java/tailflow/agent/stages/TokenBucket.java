package tailflow.agent.stages;

/** golang.org/x/time/rate's limiter: {@code rate} tokens a second up to {@code burst}, starting full. */
final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long lastNanos;

    TokenBucket(double rate, int burst, long nowNanos) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    private void refill(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastNanos) / 1e9 * rate);
        lastNanos = nowNanos;
    }

    /** Takes a token if there is one. */
    boolean allow(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Takes a token, possibly one not there yet: the nanoseconds to wait until it is. */
    long reserve(long nowNanos) {
        refill(nowNanos);
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / rate * 1e9);
    }
}

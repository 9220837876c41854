package tailflow.agent.stages;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import tailflow.agent.pipeline.Emitter;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Stage;

/**
 * Promtail's {@code limits_config} readline limit: one limiter for the whole agent,
 * {@code readline_rate} lines a second with bursts of {@code readline_burst}, applied to every
 * job's entries after its stages; excess entries are dropped (reason
 * {@code global_rate_limiter_drop}) or wait ({@code readline_rate_drop: false}). Chains run on
 * several reader threads and share this one, so taking a token is synchronised.
 */
public final class ReadlineLimit {
    private final TokenBucket bucket;
    private final boolean drop;
    private final LongSupplier mono;
    private final LongConsumer sleeper;

    public ReadlineLimit(double rate, int burst, boolean drop, LongSupplier mono, LongConsumer sleeper) {
        this.bucket = new TokenBucket(rate, burst, mono.getAsLong());
        this.drop = drop;
        this.mono = mono;
        this.sleeper = sleeper;
    }

    /** The stage a chain appends after the job's stages. */
    public Stage stage() {
        return (entry, out) -> admit(entry, out);
    }

    private void admit(Entry entry, Emitter out) {
        long wait;
        synchronized (bucket) {
            if (drop) {
                if (!bucket.allow(mono.getAsLong())) {
                    wait = -1;
                } else {
                    wait = 0;
                }
            } else {
                wait = bucket.reserve(mono.getAsLong());
            }
        }
        if (wait < 0) {
            out.drop(entry, "global_rate_limiter_drop");
            return;
        }
        if (wait > 0) {
            sleeper.accept(wait);
        }
        out.emit(entry);
    }
}

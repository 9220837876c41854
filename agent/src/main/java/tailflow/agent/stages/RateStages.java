package tailflow.agent.stages;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Promtail's {@code limit} and {@code sampling} stages. */
public final class RateStages {
    private RateStages() {}

    /**
     * {@code limit}: at most {@code rate} entries a second with bursts of {@code burst}; excess entries
     * are dropped ({@code drop: true}, reason {@code ratelimit_drop_stage}) or wait (the chain is held
     * back, as Promtail's is). With {@code by_label_name}, one limit per value of that label.
     */
    public record LimitSpec(double rate, int burst, boolean drop, Optional<String> byLabelName, int maxDistinctLabels)
            implements StageSpec {
        static final int MIN_DISTINCT = 10_000;

        public static LimitSpec of(double rate, int burst, boolean drop, Optional<String> byLabel, int maxDistinct) {
            // limit.go tests ByLabelName != "": an empty by_label_name is no by_label_name
            Optional<String> byLabelName = byLabel.filter(n -> !n.isEmpty());
            if (rate <= 0 || burst <= 0) {
                throw new IllegalArgumentException("limit stage failed to parse rate or burst (both must be above 0)");
            }
            if (byLabelName.isPresent() && !drop) {
                throw new IllegalArgumentException("When ratelimiting by label, drop must be true");
            }
            return new LimitSpec(rate, burst, drop, byLabelName, Math.max(maxDistinct, MIN_DISTINCT));
        }

        @Override
        public String name() {
            return "limit";
        }

        @Override
        public Step create(StageContext ctx) {
            TokenBucket single = new TokenBucket(rate, burst, ctx.monoNanos().getAsLong());
            Map<String, TokenBucket> perValue = new HashMap<>();
            return (item, out) -> {
                long now = ctx.monoNanos().getAsLong();
                if (byLabelName.isPresent()) {
                    String v = item.labels.get(byLabelName.get());
                    if (v != null) {
                        if (perValue.size() >= maxDistinctLabels && !perValue.containsKey(v)) {
                            perValue.clear(); // Promtail's generational map forgets old values the same way
                        }
                        if (!perValue.computeIfAbsent(v, k -> new TokenBucket(rate, burst, now)).allow(now)) {
                            out.drop(item, "ratelimit_drop_stage");
                            return;
                        }
                    }
                } else if (drop) {
                    if (!single.allow(now)) {
                        out.drop(item, "ratelimit_drop_stage");
                        return;
                    }
                } else {
                    long wait = single.reserve(now);
                    if (wait > 0) {
                        ctx.sleeper().accept(wait);
                    }
                }
                out.emit(item);
            };
        }
    }

    /** {@code sampling}: keeps each entry with probability {@code rate}; the others are dropped. */
    public record SamplingSpec(double rate, String reason) implements StageSpec {
        public static SamplingSpec of(double rate, Optional<String> reason) {
            if (rate < 0 || rate > 1 || Double.isNaN(rate)) {
                throw new IllegalArgumentException("sampling stage failed to parse rate, Sampling Rate must be between 0.0"
                        + " and 1.0, received " + rate);
            }
            return new SamplingSpec(rate, reason.filter(r -> !r.isEmpty()).orElse("sampling_stage"));
        }

        @Override
        public String name() {
            return "sampling";
        }

        @Override
        public Step create(StageContext ctx) {
            return (item, out) -> {
                if (ctx.random().nextDouble() < rate) {
                    out.emit(item);
                } else {
                    out.drop(item, reason);
                }
            };
        }
    }
}

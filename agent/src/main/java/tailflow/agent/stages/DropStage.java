package tailflow.agent.stages;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Promtail's {@code drop} stage: an entry is dropped when every configured test holds:
 * {@code longer_than} (UTF-8 bytes), {@code older_than} (timestamp before now minus it),
 * {@code source} present (all of them), {@code value} (equal to the sources joined by
 * {@code separator}) or {@code expression} (matching those, or the line without a source).
 */
public final class DropStage implements Step {

    public record Spec(List<String> sources, Optional<Pattern> regex, String separator, long olderThanNanos,
            long longerThanBytes, String reason) implements StageSpec {

        /** Nanos and bytes of -1 mean not configured. */
        public static Spec of(List<String> sources, Optional<String> value, Optional<String> expression, String separator,
                long olderThanNanos, long longerThanBytes, Optional<String> reason) {
            if (sources.isEmpty() && expression.isEmpty() && olderThanNanos < 0 && longerThanBytes < 0) {
                throw new IllegalArgumentException("drop stage config must contain at least one of `source`, `expression`,"
                        + " `older_than` or `longer_than`");
            }
            if (value.isPresent() && sources.isEmpty()) {
                throw new IllegalArgumentException("drop stage config must contain `source` if `value` is specified");
            }
            if (value.isPresent() && expression.isPresent()) {
                throw new IllegalArgumentException("drop stage config error, `value` and `expression` cannot both be defined");
            }
            Optional<Pattern> regex = expression.map(Re2::compile)
                    .or(() -> value.map(v -> Pattern.compile("^" + Pattern.quote(v) + "$")));
            return new Spec(List.copyOf(sources), regex, separator, olderThanNanos, longerThanBytes,
                    reason.filter(r -> !r.isEmpty()).orElse("drop_stage"));
        }

        @Override
        public String name() {
            return "drop";
        }

        @Override
        public Step create(StageContext ctx) {
            return new DropStage(this, ctx);
        }
    }

    private final Spec spec;
    private final StageContext ctx;

    DropStage(Spec spec, StageContext ctx) {
        this.spec = spec;
        this.ctx = ctx;
    }

    @Override
    public void process(Item item, Downstream out) {
        if (shouldDrop(item)) {
            out.drop(item, spec.reason);
        } else {
            out.emit(item);
        }
    }

    private boolean shouldDrop(Item item) {
        if (spec.longerThanBytes >= 0 && ByteSize.utf8Length(item.line) <= spec.longerThanBytes) {
            return false;
        }
        if (spec.olderThanNanos >= 0) {
            java.time.Instant now = ctx.wall().instant();
            long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            if (item.timestampNanos >= nowNanos - spec.olderThanNanos) {
                return false;
            }
        }
        if (!spec.sources.isEmpty() && spec.regex.isEmpty()) {
            for (String s : spec.sources) {
                if (!item.extracted.containsKey(s)) {
                    return false;
                }
            }
        }
        if (spec.sources.isEmpty() && spec.regex.isPresent() && !spec.regex.get().matcher(item.line).find()) {
            return false;
        }
        if (!spec.sources.isEmpty() && spec.regex.isPresent()) {
            List<String> values = new ArrayList<>();
            for (String s : spec.sources) {
                if (item.extracted.containsKey(s)) {
                    String v = item.string(s);
                    if (v == null) {
                        return false;
                    }
                    values.add(v);
                }
            }
            return spec.regex.get().matcher(String.join(spec.separator, values)).find();
        }
        return true;
    }
}

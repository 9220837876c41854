package tailflow.agent.stages;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tailflow.agent.pipeline.Labels;

/**
 * Promtail's {@code timestamp} stage: the entry's timestamp from an extracted value, trying
 * {@code format} and then each of {@code fallback_formats}. On failure {@code action_on_failure}
 * says what happens: {@code fudge} (default) sets the last good timestamp of the same label set
 * plus 1 ns (nothing when there is none yet), {@code skip} keeps the entry's timestamp.
 */
public final class TimestampStage implements Step {
    private static final int MAX_REMEMBERED_STREAMS = 10_000;

    public record Spec(String source, String format, List<String> fallbackFormats, Optional<ZoneId> location,
            boolean fudge) implements StageSpec {

        public static Spec of(String source, String format, List<String> fallbacks, Optional<String> location,
                Optional<String> actionOnFailure) {
            if (source == null || source.isEmpty()) {
                throw new IllegalArgumentException("timestamp source value is required if timestamp is specified");
            }
            TimestampFormat.check(format);
            fallbacks.forEach(TimestampFormat::check);
            boolean fudge = switch (actionOnFailure.orElse("fudge")) {
                case "fudge" -> true;
                case "skip" -> false;
                default -> throw new IllegalArgumentException("invalid action on failure (supported values are [skip fudge])");
            };
            return new Spec(source, format, List.copyOf(fallbacks), location.map(Spec::zone), fudge);
        }

        /** Go's time.LoadLocation: UTC, Local, or an IANA name such as Europe/Berlin. */
        static ZoneId zone(String name) {
            if (name.isEmpty() || name.equals("UTC")) {
                return ZoneOffset.UTC;
            }
            if (name.equals("Local")) {
                return ZoneId.systemDefault();
            }
            if (!ZoneId.getAvailableZoneIds().contains(name)) {
                throw new IllegalArgumentException("invalid location specified: unknown time zone " + name);
            }
            return ZoneId.of(name);
        }

        @Override
        public String name() {
            return "timestamp";
        }

        @Override
        public Step create(StageContext ctx) {
            return new TimestampStage(this, ctx);
        }
    }

    private final Spec spec;
    /** format, then fallback_formats (an array: no iterator per entry) */
    private final TimestampFormat[] formats;
    private final Map<Labels, Long> lastKnown = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Labels, Long> eldest) {
            return size() > MAX_REMEMBERED_STREAMS;
        }
    };

    /**
     * The stream (labels instance) whose good timestamps arrive in a run, and its latest: written
     * into {@link #lastKnown} only when the stream changes or a fudge needs the map, not per entry.
     */
    private Labels pendingLabels;
    private long pendingNanos;

    TimestampStage(Spec spec, StageContext ctx) {
        this.spec = spec;
        List<TimestampFormat> all = new ArrayList<>();
        all.add(TimestampFormat.of(spec.format, spec.location.orElse(null), ctx.wall()));
        for (String f : spec.fallbackFormats) {
            all.add(TimestampFormat.of(f, spec.location.orElse(null), ctx.wall()));
        }
        formats = all.toArray(new TimestampFormat[0]);
    }

    @Override
    public void process(Item item, Downstream out) {
        Long parsed = null;
        String text = item.string(spec.source); // null when absent or without a string form
        if (text != null) {
            for (TimestampFormat f : formats) {
                parsed = f.parse(text);
                if (parsed != null) {
                    break;
                }
            }
        }
        if (parsed != null) {
            item.timestampNanos = parsed;
            if (spec.fudge) {
                if (item.labels != pendingLabels) {
                    rememberPending();
                    pendingLabels = item.labels;
                }
                pendingNanos = parsed;
            }
        } else if (spec.fudge) {
            rememberPending();
            Labels key = item.labels;
            Long last = lastKnown.get(key);
            if (last != null) {
                item.timestampNanos = last + 1;
                lastKnown.put(key, last + 1);
            }
        }
        out.emit(item);
    }

    /** Writes the latest good timestamp of the current stream into the fudge map. */
    private void rememberPending() {
        if (pendingLabels != null) {
            lastKnown.put(pendingLabels, pendingNanos); // Labels compare by value: no text built per entry
            pendingLabels = null;
        }
    }
}

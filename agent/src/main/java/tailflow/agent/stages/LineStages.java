package tailflow.agent.stages;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;

/** Promtail's {@code decolorize} and {@code pack} stages. */
public final class LineStages {
    private LineStages() {}

    /** {@code decolorize}: removes ANSI colour and cursor sequences (Loki's stripansi expression). */
    public record DecolorizeSpec() implements StageSpec, Step {
        private static final Pattern ANSI = Pattern.compile("[\u001B\u009B][\\[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;[a-zA-Z\\d]*)*)?"
                + "\u0007)|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))");

        @Override
        public String name() {
            return "decolorize";
        }

        @Override
        public Step create(StageContext ctx) {
            return this;
        }

        @Override
        public void process(Item item, Downstream out) {
            if (item.line.indexOf('\u001B') >= 0 || item.line.indexOf('\u009B') >= 0) {
                item.line = Re2.replaceAll(ANSI, item.line, "", true);
            }
            out.emit(item);
        }
    }

    /**
     * {@code pack}: the line becomes {@code {"label":"value",...,"_entry":"line"}} with the listed
     * extracted values (keys sorted), which are removed from the stream labels; with
     * {@code ingest_timestamp} (default) the entry gets the current time.
     */
    public record PackSpec(List<String> labels, boolean ingestTimestamp) implements StageSpec {
        public PackSpec {
            labels = List.copyOf(labels);
        }

        @Override
        public String name() {
            return "pack";
        }

        @Override
        public Step create(StageContext ctx) {
            return (item, out) -> {
                List<String> found = new ArrayList<>();
                for (String l : labels) {
                    if (item.extracted.containsKey(l) && item.string(l) != null && !found.contains(l)) {
                        found.add(l);
                    }
                }
                found.sort(null);
                StringBuilder sb = new StringBuilder("{");
                for (String l : found) {
                    GoJson.string(sb, l);
                    sb.append(':');
                    GoJson.string(sb, item.string(l));
                    sb.append(',');
                    item.labels = item.labels.without(l);
                }
                sb.append("\"_entry\":");
                GoJson.string(sb, item.line);
                item.line = sb.append('}').toString();
                if (ingestTimestamp) {
                    java.time.Instant now = ctx.wall().instant();
                    item.timestampNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                }
                out.emit(item);
            };
        }
    }
}

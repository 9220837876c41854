package tailflow.agent.stages;

import com.google.re2j.Pattern;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Labels;

/**
 * Promtail's {@code multiline} stage: per stream (label set), a line matching {@code firstline}
 * starts a block and the following lines join it with a newline, until the next first line,
 * {@code max_lines} lines, or {@code max_wait_time} without a new line of that stream. A stream's
 * lines pass through untouched until its first first line. The joined entry keeps the labels,
 * extracted values and timestamp of its first line and the checkpoint of its last: the source's
 * position only passes the block once all of it is acknowledged, and a resend after a crash makes
 * the same entry with the same timestamp.
 */
public final class MultilineStage implements Step {

    public record Spec(Pattern firstline, long maxWaitNanos, long maxLines) implements StageSpec {
        public static final long DEFAULT_MAX_WAIT_NANOS = 3_000_000_000L;
        public static final long DEFAULT_MAX_LINES = 128;

        public static Spec of(String firstline, long maxWaitNanos, long maxLines) {
            if (firstline == null || firstline.isEmpty()) {
                throw new IllegalArgumentException("multiline stage config must define `firstline` regular expression");
            }
            return new Spec(Re2.compile(firstline), maxWaitNanos, maxLines);
        }

        @Override
        public String name() {
            return "multiline";
        }

        @Override
        public Step create(StageContext ctx) {
            return new MultilineStage(this, ctx);
        }
    }

    /** One stream's block being collected. */
    private static final class Block {
        /**
         * The stream's latest first line: its labels, timestamp and extracted values make the block.
         * Kept after a release, as Promtail's multilineState.startLineEntry is: lines that follow a
         * block cut by max_lines or max_wait_time form a block of their own under the same first line.
         */
        Item first;
        final StringBuilder text = new StringBuilder();
        long lines;
        Checkpoint last;
        long lastArrivalNanos;
    }

    private final Spec spec;
    private final StageContext ctx;
    private final Map<Labels, Block> streams = new LinkedHashMap<>();

    MultilineStage(Spec spec, StageContext ctx) {
        this.spec = spec;
        this.ctx = ctx;
    }

    @Override
    public void process(Item item, Downstream out) {
        Block b = streams.get(item.labels);
        boolean first = spec.firstline.matcher(item.line).find();
        if (b == null) {
            if (!first) {
                out.emit(item);
                return;
            }
            b = new Block();
            streams.put(item.labels, b);
        }
        if (first) {
            release(b, out);
            b.first = item;
        }
        if (b.lines > 0) {
            b.text.append('\n');
        }
        b.text.append(item.line);
        b.lines++;
        b.last = item.checkpoint;
        b.lastArrivalNanos = ctx.monoNanos().getAsLong();
        if (spec.maxLines > 0 && b.lines >= spec.maxLines) {
            release(b, out);
        }
    }

    @Override
    public void tick(long monoNanos, Downstream out) {
        for (Block b : streams.values()) {
            if (b.lines > 0 && monoNanos - b.lastArrivalNanos >= spec.maxWaitNanos) {
                release(b, out);
            }
        }
    }

    @Override
    public void flush(Downstream out) {
        for (Iterator<Block> it = streams.values().iterator(); it.hasNext(); ) {
            release(it.next(), out);
        }
    }

    @Override
    public boolean holding() {
        for (Block b : streams.values()) {
            if (b.lines > 0) {
                return true;
            }
        }
        return false;
    }

    private static void release(Block b, Downstream out) {
        if (b.lines == 0) {
            return;
        }
        Item f = b.first;
        Item merged = new Item(f.labels, f.timestampNanos, b.text.toString(), f.structuredMetadata, b.last,
                new HashMap<>(f.extracted));
        b.text.setLength(0);
        b.lines = 0;
        b.last = null;
        out.emit(merged);
    }
}

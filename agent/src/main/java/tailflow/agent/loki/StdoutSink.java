package tailflow.agent.loki;

import java.io.PrintStream;
import java.time.Instant;

/** {@code --stdout}: prints every entry as {@code <labels> <RFC 3339 time> <line>}, acknowledges at once. */
public final class StdoutSink implements BatchSink {
    private final PrintStream out;

    public StdoutSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void deliver(Batch batch) {
        StringBuilder sb = new StringBuilder();
        for (int e = 0; e < batch.entries(); e++) {
            long ts = batch.timestamp(e);
            sb.setLength(0);
            sb.append(batch.streamLabels(batch.streamOf(e)).lokiText()).append(' ')
                    .append(Instant.ofEpochSecond(Math.floorDiv(ts, 1_000_000_000L), Math.floorMod(ts, 1_000_000_000L)))
                    .append(' ').append(batch.line(e));
            out.println(sb);
        }
        out.flush();
    }

    @Override
    public boolean healthy() {
        return true;
    }
}

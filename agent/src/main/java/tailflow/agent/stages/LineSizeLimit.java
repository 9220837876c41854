package tailflow.agent.stages;

import java.nio.charset.StandardCharsets;
import tailflow.agent.pipeline.Emitter;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Stage;

/**
 * Promtail's {@code limits_config.max_line_size} as its client applies it, after the stages, to
 * the line as it would be sent (client.go run): a line of more than {@code maxBytes} UTF-8 bytes is
 * dropped (reason {@code line_too_long}), or with {@code max_line_size_truncate} cut to
 * {@code maxBytes} and counted as mutated. Promtail cuts at the byte; this cut stays on a UTF-8
 * character boundary at or before it, so the line stays valid text.
 */
public final class LineSizeLimit implements Stage {
    public static final String REASON = "line_too_long";

    /** Where truncations are counted (Promtail's mutated_entries_total / mutated_bytes_total). */
    public interface Mutations {
        void truncated(long bytesRemoved);
    }

    private final int maxBytes;
    private final boolean truncate;
    private final Mutations mutations;

    public LineSizeLimit(int maxBytes, boolean truncate, Mutations mutations) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("max line size must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.truncate = truncate;
        this.mutations = mutations;
    }

    @Override
    public void process(Entry entry, Emitter out) {
        String line = entry.line();
        if (line.length() * 3 <= maxBytes) { // a UTF-16 char is at most 3 UTF-8 bytes: surely short enough
            out.emit(entry);
            return;
        }
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            out.emit(entry);
            return;
        }
        if (!truncate) {
            out.drop(entry, REASON);
            return;
        }
        int cut = maxBytes;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) { // bytes[cut] continues the character that starts before it
            cut--;
        }
        mutations.truncated(bytes.length - cut);
        out.emit(entry.withLine(new String(bytes, 0, cut, StandardCharsets.UTF_8)));
    }
}

package tailflow.agent.config;

import java.time.Duration;

/**
 * Line handling limits. {@code maxLineSize} is how much of a line the tailers read (longer lines
 * are cut there; Loki's 256 KiB unless a larger {@code max_line_size} needs more);
 * {@code partialLineWait} is how long a last line without newline waits. Promtail's readline limit
 * ({@code readline_rate_enabled}, {@code readline_rate} lines a second, {@code readline_burst},
 * {@code readline_rate_drop}: drop or wait) applies to every job's entries after its stages.
 * {@code clientMaxLineSize} is Promtail's {@code max_line_size} as its client applies it after the
 * stages (0: none): longer lines are dropped, or cut with {@code maxLineSizeTruncate}.
 * {@code maxStreams} (0: no limit): streams a batch may hold per tenant; entries of further streams
 * are dropped (reason {@code stream_limited}).
 */
public record LimitsConfig(long maxLineSize, Duration partialLineWait, boolean readlineRateEnabled, double readlineRate,
        int readlineBurst, boolean readlineRateDrop, int maxStreams, boolean maxLineSizeTruncate, long clientMaxLineSize) {
    public static final double DEFAULT_READLINE_RATE = 10_000;
    public static final int DEFAULT_READLINE_BURST = 10_000;
    /** What the tailers read of a line when no {@code max_line_size} says more: Loki's default limit. */
    public static final long DEFAULT_READ_LIMIT = 256 * 1024;
    /**
     * Read past {@code max_line_size} by this much, so that a line the client drops or cuts after
     * the stages is seen to be longer than the limit even when the tailer had to cut it.
     */
    static final long READ_MARGIN = 4096;

    public LimitsConfig(long maxLineSize, Duration partialLineWait) {
        this(maxLineSize, partialLineWait, false, DEFAULT_READLINE_RATE, DEFAULT_READLINE_BURST, true, 0, false, 0);
    }

    /** The tailers' read limit for Promtail's {@code max_line_size} (0: none). */
    public static long readLimitFor(long clientMaxLineSize) {
        return clientMaxLineSize <= 0 ? DEFAULT_READ_LIMIT : Math.max(DEFAULT_READ_LIMIT, clientMaxLineSize + READ_MARGIN);
    }
}

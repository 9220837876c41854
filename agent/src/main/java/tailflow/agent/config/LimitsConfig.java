package tailflow.agent.config;

import java.time.Duration;

/**
 * Line handling limits. {@code maxLineSize} follows Promtail's {@code limits_config.max_line_size}
 * (default Loki's 256 KiB); {@code partialLineWait} is how long a last line without newline waits.
 * Promtail's readline limit ({@code readline_rate_enabled}, {@code readline_rate} lines a second,
 * {@code readline_burst}, {@code readline_rate_drop}: drop or wait) applies to every job's entries
 * after its stages; {@code maxStreams} (0: no limit) and {@code maxLineSizeTruncate} as Promtail's.
 */
public record LimitsConfig(long maxLineSize, Duration partialLineWait, boolean readlineRateEnabled, double readlineRate,
        int readlineBurst, boolean readlineRateDrop, int maxStreams, boolean maxLineSizeTruncate) {
    public static final double DEFAULT_READLINE_RATE = 10_000;
    public static final int DEFAULT_READLINE_BURST = 10_000;

    public LimitsConfig(long maxLineSize, Duration partialLineWait) {
        this(maxLineSize, partialLineWait, false, DEFAULT_READLINE_RATE, DEFAULT_READLINE_BURST, true, 0, false);
    }
}

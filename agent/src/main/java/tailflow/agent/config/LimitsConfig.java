package tailflow.agent.config;

import java.time.Duration;

/**
 * Line handling limits. {@code maxLineSize} follows Promtail's {@code limits_config.max_line_size}
 * (default Loki's 256 KiB); {@code partialLineWait} is how long a last line without newline waits.
 */
public record LimitsConfig(long maxLineSize, Duration partialLineWait) {}

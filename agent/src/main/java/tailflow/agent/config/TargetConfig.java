package tailflow.agent.config;

import java.time.Duration;

/** Promtail's {@code target_config}: how often globs are re-scanned for new files. */
public record TargetConfig(Duration syncPeriod) {}

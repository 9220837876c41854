package tailflow.agent.config;

import java.nio.file.Path;
import java.time.Duration;

/** Promtail's {@code positions:} block: where offsets are kept and how often they are synced. */
public record PositionsConfig(Path filename, Duration syncPeriod) {}

package tailflow.agent.positions;

/** Timestamps {@code base + (offset - start)} for line starts in [start, end) of one file (see logs.PositionLedger). */
public record Lease(long start, long end, long base) {}

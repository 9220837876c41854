package tailflow.agent.positions;

/** Where one journal job is: the cursor of the last acknowledged entry and its realtime timestamp (µs). */
public record JournalPosition(String cursor, long realtimeMicros) {}

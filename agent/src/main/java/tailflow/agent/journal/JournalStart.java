package tailflow.agent.journal;

import java.util.Optional;

/**
 * Where a journal job begins reading, and why (for the log and the dry-run).
 *
 * @param kind         how the start was chosen
 * @param cursor       the saved cursor, when there was one
 * @param fromMicros   the realtime the reading starts at (AFTER_CURSOR: the cursor entry's own)
 */
public record JournalStart(Kind kind, Optional<String> cursor, long fromMicros) {

    public enum Kind {
        /** No saved position: max_age before now. */
        MAX_AGE,
        /** The saved cursor's entry exists: continue right after it. */
        AFTER_CURSOR,
        /** The saved cursor's entry is older than max_age: max_age before now, as Promtail. */
        CURSOR_TOO_OLD,
        /**
         * The saved cursor's entry is gone (vacuumed or rotated away while the agent was down): from
         * the cursor's own timestamp, the last shipped one (entries of that same microsecond are sent
         * again; Loki drops those it has), but not before max_age.
         */
        CURSOR_GONE
    }

    public String describe() {
        String at = java.time.Instant.ofEpochSecond(fromMicros / 1_000_000, fromMicros % 1_000_000 * 1_000).toString();
        return switch (kind) {
            case MAX_AGE -> "no saved cursor: from max_age before now, " + at;
            case AFTER_CURSOR -> "after saved cursor " + cursor.orElse("") + " (" + at + ")";
            case CURSOR_TOO_OLD -> "saved cursor is older than max_age: from " + at;
            case CURSOR_GONE -> "saved cursor " + cursor.orElse("") + " is no longer in the journal (vacuumed or rotated"
                    + " away): from its timestamp, the last shipped one, " + at;
        };
    }

    /**
     * The realtime ({@code t=}, hex µs) a cursor carries, if it has one: journald's cursors are
     * {@code s=<seqnum id>;i=<seqnum>;b=<boot id>;m=<monotonic>;t=<realtime>;x=<xor hash>}.
     */
    public static Optional<Long> cursorRealtime(String cursor) {
        for (String part : cursor.split(";")) {
            if (part.startsWith("t=")) {
                try {
                    return Optional.of(Long.parseUnsignedLong(part.substring(2), 16));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Positions {@code journal} so that the next {@link SdJournal#next} reads the first entry to
     * send.
     *
     * @param saved       the job's saved cursor
     * @param nowMicros   the wall clock
     * @param maxAgeMicros how far back to start without a usable cursor
     */
    public static JournalStart seek(SdJournal journal, Optional<String> saved, long nowMicros, long maxAgeMicros)
            throws JournalException {
        long floor = Math.max(0, nowMicros - maxAgeMicros); // a max_age reaching before 1970 means everything
        if (saved.isEmpty()) {
            journal.seekRealtime(floor);
            return new JournalStart(Kind.MAX_AGE, saved, floor);
        }
        String cursor = saved.get();
        boolean found = false;
        try {
            journal.seekCursor(cursor);
            found = journal.next() && journal.testCursor(cursor);
        } catch (JournalException malformed) {
            // EINVAL for a cursor libsystemd cannot parse: treated as gone
        }
        if (found) {
            long at = journal.realtimeMicros();
            if (at < floor) {
                journal.seekRealtime(floor);
                return new JournalStart(Kind.CURSOR_TOO_OLD, saved, floor);
            }
            // the journal now stands on the cursor's entry, which was shipped: next() moves past it
            return new JournalStart(Kind.AFTER_CURSOR, saved, at);
        }
        long from = Math.max(floor, cursorRealtime(cursor).orElse(floor));
        journal.seekRealtime(from);
        return new JournalStart(Kind.CURSOR_GONE, saved, from);
    }
}

package tailflow.agent.journal;

import java.util.Optional;
import tailflow.agent.pipeline.Checkpoint;

/**
 * How far one journal job may advance its saved cursor: to the last entry acknowledged by Loki,
 * or past entries that were skipped (no MESSAGE, no labels) once nothing sent before them is
 * still waiting for an acknowledgement. Entries are handed on in journal order and acknowledged
 * in that order, so an acknowledgement covers everything before it. One reader thread.
 */
public final class JournalProgress {
    private Checkpoint.JournalCursor position;
    private Checkpoint.JournalCursor lastHanded;
    private Checkpoint.JournalCursor lastAcked;
    private Checkpoint.JournalCursor skippedSinceHanded;
    private boolean changed;

    /** @param saved the cursor the job started from (kept until something newer is done) */
    public JournalProgress(Optional<Checkpoint.JournalCursor> saved) {
        this.position = saved.orElse(null);
    }

    /** An entry went to the clients. */
    public void handed(Checkpoint.JournalCursor c) {
        lastHanded = c;
        skippedSinceHanded = null;
    }

    /** An entry was not sent (it needs no acknowledgement). */
    public void skipped(Checkpoint.JournalCursor c) {
        if (nothingOutstanding()) {
            advance(c);
        } else {
            skippedSinceHanded = c;
        }
    }

    /** Loki acknowledged everything up to {@code c}. */
    public void acknowledged(Checkpoint.JournalCursor c) {
        lastAcked = c;
        advance(c);
        if (nothingOutstanding() && skippedSinceHanded != null) {
            advance(skippedSinceHanded);
            skippedSinceHanded = null;
        }
    }

    private boolean nothingOutstanding() {
        return lastHanded == null || lastHanded.equals(lastAcked);
    }

    private void advance(Checkpoint.JournalCursor c) {
        if (!c.equals(position)) {
            position = c;
            changed = true;
        }
    }

    public Optional<Checkpoint.JournalCursor> position() {
        return Optional.ofNullable(position);
    }

    /** Whether the position moved since the last call (then it needs saving). */
    public boolean takeChanged() {
        boolean c = changed;
        changed = false;
        return c;
    }
}

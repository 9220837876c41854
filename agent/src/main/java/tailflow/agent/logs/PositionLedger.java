package tailflow.agent.logs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tailflow.agent.positions.FilePosition;
import tailflow.agent.positions.FilePositions;
import tailflow.agent.positions.Lease;

/**
 * One client's positions and the timestamps of its lines: the exactly-once core.
 *
 * <h2>The problem</h2>
 * A line is shipped once only if (1) the position advances past it only after Loki
 * acknowledged it, and (2) when it must be sent again after a crash (sent, not acknowledged,
 * agent killed), Loki recognises the copy. Loki drops an entry whose stream, timestamp and line
 * equal a stored one. So a resent line must carry exactly the timestamp it carried the first
 * time, although nothing about the first send survived the crash except what we wrote to disk.
 *
 * <h2>The design: timestamp leases</h2>
 * A line's timestamp is a pure function of the file identity and the line's start offset:
 * <pre>  timestamp(offset) = lease.base + (offset - lease.start)   for the lease with start &lt;= offset &lt; end</pre>
 * A {@link Lease} {@code (start, end, base)} is created when reading first reaches an offset no
 * lease covers ({@code base} = the wall clock then, in ns), and it is written to the positions
 * file (temp file, fsync, rename, fsync dir) <b>before any line it timestamps is sent</b>:
 * {@link #hasPendingLeases()} blocks sending until {@link #markDurable()} after a write. After a
 * crash the leases are read back, the file is re-read from the acknowledged offset, and every
 * line gets the same timestamp as before; Loki deduplicates the copies. Nothing is written per
 * batch: one write covers a whole lease, which spans from one MiB up to a second of reading.
 *
 * <p>Rules that keep it sound:
 * <ul>
 *   <li>Offsets are strictly increasing line starts, so timestamps within a lease are unique
 *       and increasing (one nanosecond per byte: a lease of 1 GiB spans about 1.07 s).</li>
 *   <li>A new lease's {@code base} is at least the end of the previous lease's timestamp range
 *       for the same {@code filename} label (the persisted {@code timestamp floor}), so the rotated
 *       file and its successor, or the generations of a copytruncated file, never produce the
 *       same (stream, timestamp) pair: a legitimately repeated line is never dropped as a
 *       duplicate.</li>
 *   <li>A lease is only ever created or shortened at the <em>frontier</em> (the highest offset
 *       that was timestamped), never below it; after a restart the frontier is the end of the
 *       last persisted lease, because any offset under a durable lease may have been sent.</li>
 *   <li>A lease older than {@code refreshNanos} is cut at the frontier and a new one started, so
 *       timestamps stay within about a second of the time a line was read; the cut and the new
 *       lease are persisted together before a line of the new lease is sent.</li>
 *   <li>A copytruncated file starts a new generation. When the copy is found, the old
 *       generation (acknowledged offset, leases, acknowledgements still in flight) moves to the
 *       copy's identity ({@link #copied}): the copy is drained from where Loki's acknowledgements
 *       ended, with the same timestamps, so whatever was in flight is deduplicated. Without a
 *       copy the old generation is dropped and its acknowledgements ignored.</li>
 * </ul>
 *
 * <p>Not thread-safe: owned by the client's reader thread; acknowledgements reach it through a
 * queue.
 */
public final class PositionLedger {

    /**
     * One generation of one file's byte stream: what the file source's checkpoints name
     * ({@code Checkpoint.FileOffset.file}). Compared by identity; it follows its bytes: after a
     * copytruncate it belongs to the copy.
     */
    public static final class Generation {
        private Entry owner;

        Generation(Entry owner) {
            this.owner = owner;
        }
    }

    static final long MIN_SPAN = 1L << 20;
    static final long MAX_SPAN = 1L << 30;

    /** Per-file state. */
    public static final class Entry {
        final FileIdentity identity;
        final String label;
        Generation generation = new Generation(this);
        String head = "";
        long acked;
        long frontier;
        final List<Lease> leases = new ArrayList<>();
        long leaseCreatedNanos;
        long nextSpan = MIN_SPAN;
        boolean finished;

        Entry(FileIdentity identity, String label) {
            this.identity = identity;
            this.label = label;
        }

        public String label() {
            return label;
        }

        public long acked() {
            return acked;
        }

        public FileIdentity identity() {
            return identity;
        }

        public Generation generation() {
            return generation;
        }

        /** The first bytes of the file (base64), empty when not known yet. */
        public String head() {
            return head;
        }

        public boolean finished() {
            return finished;
        }

        public List<Lease> leases() {
            return List.copyOf(leases);
        }
    }

    private final Map<FileIdentity, Entry> entries = new LinkedHashMap<>();
    private final Map<String, Long> floors = new HashMap<>();
    /** Heads of generations truncated without a copy found (this process only): a late copy of one is not new. */
    private final Map<String, List<String>> retiredHeads = new HashMap<>();
    private final long refreshNanos;
    private boolean pending;
    private boolean dirty;

    /** @param refreshNanos how old a lease may get before fresh lines start a new one */
    public PositionLedger(long refreshNanos) {
        this.refreshNanos = refreshNanos;
    }

    /** Restores persisted state; the frontier of each file becomes the end of its last lease. */
    public void restore(FilePositions snapshot) {
        for (FilePosition s : snapshot.files()) {
            Entry e = new Entry(new FileIdentity(s.device(), s.inode()), s.label());
            e.head = s.head();
            e.acked = s.offset();
            e.leases.addAll(s.leases());
            e.frontier = e.acked;
            for (Lease l : s.leases()) {
                e.frontier = Math.max(e.frontier, l.end());
            }
            entries.put(e.identity, e);
        }
        floors.putAll(snapshot.timestampFloors());
    }

    /** Adds a file found at a Promtail position: acknowledged up to {@code offset}, no leases. */
    public Entry imported(FileIdentity identity, String label, long offset) {
        Entry e = track(identity, label);
        e.acked = offset;
        e.frontier = offset;
        dirty = true;
        return e;
    }

    public Entry get(FileIdentity identity) {
        return entries.get(identity);
    }

    /**
     * The entry for a file, created (acknowledged at 0) when new. A new entry must be on disk
     * before a line of the file is sent ({@link #hasPendingLeases()}), and is written at once by
     * the file source, so a crash finds the file even after a rotation took it out of the glob.
     */
    public Entry track(FileIdentity identity, String label) {
        return entries.computeIfAbsent(identity, id -> {
            pending = true;
            return new Entry(id, label);
        });
    }

    public Collection<Entry> entries() {
        return entries.values();
    }

    /**
     * The timestamp (ns since the epoch) of the line starting at {@code offset}.
     *
     * @param wallNanos the wall clock now, for a new lease's base
     * @param monoNanos a monotonic clock now, for lease age
     */
    public long timestamp(Entry e, long offset, long wallNanos, long monoNanos) {
        if (offset < e.frontier) {
            // Possibly sent before: only a durable lease may decide.
            for (int i = e.leases.size() - 1; i >= 0; i--) {
                Lease l = e.leases.get(i);
                if (offset >= l.start() && offset < l.end()) {
                    return l.base() + (offset - l.start());
                }
            }
            // Below every lease (e.g. positions imported from Promtail): never sent by us.
        }
        Lease current = e.leases.isEmpty() ? null : e.leases.get(e.leases.size() - 1);
        if (current != null && offset >= current.start() && offset < current.end()) {
            boolean stale = monoNanos - e.leaseCreatedNanos >= refreshNanos && offset > current.start();
            if (!stale) {
                e.frontier = Math.max(e.frontier, offset + 1);
                return current.base() + (offset - current.start());
            }
            // Cut the stale lease at the frontier; offsets from here on were never timestamped.
            e.leases.set(e.leases.size() - 1, new Lease(current.start(), offset, current.base()));
            e.nextSpan = clamp(2 * (offset - current.start()));
        } else if (current != null && offset >= current.end()) {
            e.nextSpan = clamp(2 * e.nextSpan); // used up quickly: reserve more next time
        }
        long base = Math.max(wallNanos, floors.getOrDefault(e.label, Long.MIN_VALUE));
        Lease lease = new Lease(offset, offset + e.nextSpan, base);
        e.leases.add(lease);
        e.leaseCreatedNanos = monoNanos;
        floors.put(e.label, base + e.nextSpan);
        e.frontier = Math.max(e.frontier, offset + 1);
        pending = true;
        dirty = true;
        return base;
    }

    private static long clamp(long span) {
        return Math.max(MIN_SPAN, Math.min(MAX_SPAN, span));
    }

    /** A lease was created or cut, or a file added, and is not on disk yet: nothing may be sent until it is. */
    public boolean hasPendingLeases() {
        return pending;
    }

    /** Something changed since the last write (acknowledgements, new files). */
    public boolean dirty() {
        return dirty || pending;
    }

    /** Called after {@link #snapshot()} was written durably. */
    public void markDurable() {
        pending = false;
        dirty = false;
    }

    /** Heads (base64) of {@code label}'s generations that were truncated without their copy being found. */
    public List<String> retiredHeads(String label) {
        return retiredHeads.getOrDefault(label, List.of());
    }

    /** The entry that owns {@code generation} now, or null if it was dropped. */
    public Entry owner(Generation generation) {
        Entry e = generation.owner;
        return e != null && entries.get(e.identity) == e ? e : null;
    }

    /** Loki acknowledged (or rejected for good, or a stage dropped) every line of {@code generation} before {@code endOffset}. */
    public void acknowledge(Generation generation, long endOffset) {
        Entry e = generation.owner;
        if (e == null || entries.get(e.identity) != e) {
            return; // the file was truncated without a copy, or forgotten since
        }
        if (endOffset > e.acked) {
            e.acked = endOffset;
            dirty = true;
            while (!e.leases.isEmpty() && e.leases.get(0).end() <= e.acked && e.leases.size() > 1) {
                e.leases.remove(0);
            }
        }
    }

    /**
     * Records the file's first bytes (base64) once known. Like a new file, the head must be on
     * disk before a line of it is sent: after a crash it is what recognises the file's copytruncate copy.
     */
    public void head(Entry e, String head) {
        if (!head.equals(e.head)) {
            e.head = head;
            pending = true;
        }
    }

    /**
     * copytruncate, copy found: {@code copy} takes over the live file's generation (its
     * acknowledged offset, leases and in-flight acknowledgements, under the live file's label),
     * and the live file restarts at 0 as a new generation.
     */
    public Entry copied(Entry live, FileIdentity copy) {
        Entry c = new Entry(copy, live.label);
        c.generation = live.generation;
        c.generation.owner = c;
        c.head = live.head;
        c.acked = live.acked;
        c.frontier = live.frontier;
        c.leases.addAll(live.leases);
        c.leaseCreatedNanos = live.leaseCreatedNanos;
        c.nextSpan = live.nextSpan;
        entries.put(copy, c);
        live.generation = new Generation(live);
        reset(live);
        pending = true; // the copy's record must be on disk before a line of the new generation leaves
        return c;
    }

    /** copytruncate without a copy: the file restarts at 0 as a new generation with fresh leases. */
    public void truncated(Entry e) {
        if (!e.head.isEmpty()) {
            retiredHeads.computeIfAbsent(e.label, l -> new ArrayList<>()).add(e.head);
        }
        e.generation.owner = null;
        e.generation = new Generation(e);
        reset(e);
    }

    private void reset(Entry e) {
        e.head = "";
        e.acked = 0;
        e.frontier = 0;
        e.leases.clear();
        e.nextSpan = MIN_SPAN;
        dirty = true;
    }

    /** The file was drained and closed; its entry stays until {@link #forget} so it is not read again. */
    public void finished(Entry e) {
        e.finished = true;
        dirty = true;
    }

    /** The file is gone for good (deleted, compressed): drop its entry. */
    public void forget(FileIdentity identity) {
        if (entries.remove(identity) != null) {
            dirty = true;
        }
    }

    /** The state to persist; floors already in the past are dropped (the clock covers them). */
    public FilePositions snapshot(long wallNanos) {
        List<FilePosition> files = new ArrayList<>();
        for (Entry e : entries.values()) {
            files.add(new FilePosition(e.label, e.identity.device(), e.identity.inode(), e.acked, e.leases, e.head));
        }
        Map<String, Long> keep = new HashMap<>();
        floors.forEach((label, floor) -> {
            if (floor > wallNanos) {
                keep.put(label, floor);
            }
        });
        return new FilePositions(files, keep);
    }
}

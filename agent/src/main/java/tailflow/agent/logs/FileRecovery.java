package tailflow.agent.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Logger;
import tailflow.agent.positions.FilePositions;
import tailflow.agent.positions.PositionsFile;

/**
 * Finding files again: after a restart (saved positions, or Promtail's on the first start), after
 * a rotation that moved a file out of the glob, and after a copytruncate (the copy).
 *
 * <p>A copy is recognised by content, never by name alone: it holds the live file's bytes at
 * the same offsets, so its first bytes equal the live file's recorded {@code head} and, while the
 * agent runs, the bytes just before the read offset equal the ones the tailer consumed last.
 */
final class FileRecovery {

    private static final Logger LOG = Logger.getLogger(FileRecovery.class.getName());
    /** How many first bytes of a file are kept to recognise its copies. */
    static final int HEAD_BYTES = 64;

    /** A file found on disk: where it is, its identity, the label it ships under, the offset to read from. */
    record Found(Path path, FileIdentity identity, String label, long from) {}

    private final PositionsFile positions;
    private final PositionLedger ledger;
    private final String clientKey;
    private final List<String> forgotten = new ArrayList<>();

    FileRecovery(PositionsFile positions, PositionLedger ledger, String clientKey) {
        this.positions = positions;
        this.ledger = ledger;
        this.clientKey = clientKey;
    }

    /** Restores the client's saved positions, or imports Promtail's on the first start. */
    void restore() {
        try {
            FilePositions saved = positions.files(clientKey);
            if (saved != null) {
                ledger.restore(saved);
                return;
            }
            for (Map.Entry<String, String> p : positions.promtail().entrySet()) {
                if (p.getKey().startsWith("journal-")) {
                    continue; // the journal source's
                }
                long offset;
                try {
                    offset = Long.parseLong(p.getValue());
                } catch (NumberFormatException e) {
                    LOG.warning(positions.path() + ": Promtail position of " + p.getKey() + " is not a number: "
                            + p.getValue() + "; reading that file from the start");
                    continue;
                }
                Path path = Path.of(p.getKey());
                FileIdentity id = FileIdentity.ofOrNull(path);
                if (id == null) {
                    continue;
                }
                long size = Files.size(path);
                long from = offset <= size ? offset : 0;
                ledger.imported(id, p.getKey(), from);
                LOG.info("resuming " + path + " at offset " + from + " from Promtail's positions file " + positions.path());
            }
        } catch (IOException e) {
            LOG.warning("cannot read positions file " + positions.path() + ": " + e.getMessage()
                    + "; starting from the beginning of every file");
        }
    }

    /**
     * Files with positions that are not being read and did not match a glob: found again by
     * identity in their directory (rotated, maybe while the agent was down), to be drained unless
     * finished; the ones not found are forgotten ({@link #forgotten()} lists their labels).
     */
    List<Found> rotatedAway(Predicate<FileIdentity> inUse) {
        forgotten.clear();
        List<Found> out = new ArrayList<>();
        Map<Path, Map<FileIdentity, Path>> dirs = new HashMap<>();
        for (PositionLedger.Entry e : new ArrayList<>(ledger.entries())) {
            if (inUse.test(e.identity())) {
                continue;
            }
            Path dir = Path.of(e.label()).toAbsolutePath().getParent();
            Path found = dirs.computeIfAbsent(dir, FileRecovery::identitiesIn).get(e.identity());
            if (found == null) {
                if (!e.finished()) {
                    LOG.warning("file " + e.label() + " (" + e.identity() + ") is gone (deleted or compressed); lines after offset "
                            + e.acked() + " that were not shipped are lost");
                }
                ledger.forget(e.identity());
                forgotten.add(e.label());
            } else if (!e.finished()) {
                out.add(new Found(found, e.identity(), e.label(), e.acked()));
            }
        }
        return out;
    }

    /** Labels of the entries the last {@link #rotatedAway} forgot. */
    List<String> forgotten() {
        return List.copyOf(forgotten);
    }

    /**
     * Files nobody shipped a line of, under a rotated name ({@code app.log.1},
     * {@code app.log-20251125}, {@code app.log.ct}) of a file we read: created and rotated away
     * between two scans or while the agent was down, or the copytruncate copy of a generation the
     * agent had not read yet. They have an identity we never saw, were modified after
     * {@code sinceMillis}, and start with none of the recorded heads of that name: every
     * generation a line was sent from has its head on disk before the line left, so a copy of it
     * would match (and is drained from where reading stopped instead). So they are shipped from the
     * start, under the live file's name.
     *
     * @param sinceMillis at start, when the positions file was last written (-1 on a first start:
     *                    rotations older than the agent are not shipped); later, when this process started
     */
    List<Found> unknownRotations(Predicate<FileIdentity> inUse, long sinceMillis) {
        List<Found> out = new ArrayList<>();
        if (sinceMillis < 0) {
            return out;
        }
        Map<String, List<String>> headsByLabel = new HashMap<>();
        for (PositionLedger.Entry e : ledger.entries()) {
            List<String> heads = headsByLabel.computeIfAbsent(e.label(), l -> new ArrayList<>(ledger.retiredHeads(l)));
            if (!e.head().isEmpty()) {
                heads.add(e.head());
            }
        }
        for (Map.Entry<String, List<String>> label : headsByLabel.entrySet()) {
            List<Path> candidates = new ArrayList<>();
            for (Path p : rotatedNamesOf(Path.of(label.getKey()).toAbsolutePath())) {
                FileIdentity id = FileIdentity.ofOrNull(p);
                try {
                    if (id != null && ledger.get(id) == null && !inUse.test(id)
                            && Files.getLastModifiedTime(p).toMillis() > sinceMillis && !startsWithAnyOf(p, label.getValue())) {
                        candidates.add(p);
                    }
                } catch (IOException e) {
                    LOG.fine(p + " vanished: " + e.getMessage());
                }
            }
            candidates.sort((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()));
            for (Path p : candidates) {
                FileIdentity id = FileIdentity.ofOrNull(p);
                if (id != null) {
                    LOG.info(p + " holds lines never read (rotated or copied before the agent got to them); shipping it as "
                            + label.getKey());
                    out.add(new Found(p, id, label.getKey(), 0));
                }
            }
        }
        return out;
    }

    private static boolean startsWithAnyOf(Path p, List<String> heads) throws IOException {
        if (heads.isEmpty()) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(p)) {
            for (String h : heads) {
                byte[] head = Base64.getDecoder().decode(h);
                byte[] there = read(ch, head.length);
                if (there != null && java.util.Arrays.equals(head, there)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** When the positions file was last written before this process started, or -1 (none, unreadable). */
    long positionsWrittenBeforeStart() {
        try {
            return positions.lastWrittenBeforeStart();
        } catch (IOException e) {
            LOG.warning("cannot read positions file " + positions.path() + ": " + e.getMessage()
                    + "; not looking for files rotated while the agent was down");
            return -1;
        }
    }

    /**
     * copytruncate seen while reading: the copy holds the bytes the tailer consumed last at the
     * same offsets (and the file's head), so the lines after the read offset can be drained from it.
     */
    Optional<Found> copyOf(FileTail t) {
        t.headCheckedAtSize = -1;
        boolean tail = t.tailer.hasFingerprint();
        if (!tail && t.entry.head().isEmpty()) {
            LOG.info(t.tailer.path() + ": nothing read since the open and no record of its first bytes, so its copy cannot be"
                    + " recognised; lines after offset " + t.tailer.readOffset() + " that are only in the copy are not shipped");
            return Optional.empty();
        }
        long from = t.tailer.readOffset();
        Optional<Found> copy = findCopy(t.entry, ch -> ch.size() >= from
                && (!tail || t.tailer.isCopyOfWhatWasRead(ch)) && headMatches(t.entry, ch), from);
        if (copy.isEmpty() && !t.entry.head().isEmpty()) {
            // A copy shorter than what was read: lines written between logrotate's copy and its
            // truncate were read from the live file. Everything in it was read; it is adopted (so it
            // is never taken for an unknown rotation) and drains nothing.
            copy = findCopy(t.entry, ch -> ch.size() < from && headMatches(t.entry, ch), -1)
                    .map(c -> new Found(c.path(), c.identity(), c.label(), sizeOf(c.path(), from)));
        }
        return copy;
    }

    private static long sizeOf(Path p, long otherwise) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return otherwise;
        }
    }

    /**
     * The live file is shorter than its position at start: copytruncate while the agent was down.
     * Its copy starts with the recorded head and is at least as long as the acknowledged offset.
     */
    Optional<Found> truncatedWhileDown(PositionLedger.Entry live, Path path) {
        if (live.head().isEmpty()) {
            LOG.info(path + ": no record of its first bytes, so its copy cannot be recognised; lines after offset "
                    + live.acked() + " that were only in the copy are not shipped");
            return Optional.empty();
        }
        return findCopy(live, ch -> ch.size() >= live.acked() && headMatches(live, ch), live.acked());
    }

    private interface ChannelTest {
        boolean test(FileChannel ch) throws IOException;
    }

    /**
     * Looks among the rotated names of the file's label (where the live file is written; the file
     * itself may have been renamed since, and the copy is named after the live file).
     */
    private Optional<Found> findCopy(PositionLedger.Entry live, ChannelTest isCopy, long from) {
        Path livePath = Path.of(live.label()).toAbsolutePath();
        for (Path p : rotatedNamesOf(livePath)) {
            FileIdentity id = FileIdentity.ofOrNull(p);
            if (id == null || ledger.get(id) != null) {
                continue;
            }
            try (FileChannel ch = FileChannel.open(p)) {
                if (isCopy.test(ch)) {
                    return Optional.of(new Found(p, id, live.label(), from));
                }
            } catch (IOException e) {
                LOG.fine("cannot compare " + p + " with " + livePath + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Nothing was read since the file was opened at its saved position, so neither its size nor the
     * bytes before the read offset can show a truncation: its first bytes can. Only checked when the
     * size changed since the last check (one read of the head per change, while nothing is read).
     */
    boolean rewrittenSinceOpen(FileTail t) {
        try {
            long size = t.tailer.size();
            if (size == t.headCheckedAtSize) {
                return false;
            }
            t.headCheckedAtSize = size;
            return headChanged(t.entry, t.tailer.channel());
        } catch (IOException e) {
            LOG.fine("cannot read the head of " + t.tailer.path() + ": " + e.getMessage());
            return false;
        }
    }

    /** Whether the file at {@code ch} no longer starts with the recorded head: rewritten (copytruncate) since. */
    static boolean headChanged(PositionLedger.Entry e, FileChannel ch) throws IOException {
        return !e.head().isEmpty() && !headMatches(e, ch);
    }

    private static boolean headMatches(PositionLedger.Entry live, FileChannel ch) throws IOException {
        if (live.head().isEmpty()) {
            return true; // not recorded yet (a file shorter than the head): the tailer's own check decides
        }
        byte[] head = Base64.getDecoder().decode(live.head());
        byte[] there = read(ch, head.length);
        return there != null && java.util.Arrays.equals(head, there);
    }

    /**
     * Records the file's first bytes (up to {@value #HEAD_BYTES}, fewer if the file is shorter),
     * so its copies can be recognised later: at open, at every scan, and in the poll that first
     * reads lines of it (so it is on disk before any of them is sent).
     */
    void recordHead(FileTail t, boolean linesRead) {
        if (!t.entry.head().isEmpty()) {
            return;
        }
        try {
            // Fewer than HEAD_BYTES only once lines of it were read (at least a whole line): a few
            // bytes of a line being written ("Nov 25 12:0") would look like the head of any file.
            int n = (int) Math.min(HEAD_BYTES, t.tailer.size());
            if (n <= 0 || n < HEAD_BYTES && !linesRead) {
                return;
            }
            byte[] head = t.tailer.readAt(0, n);
            if (head != null) {
                ledger.head(t.entry, Base64.getEncoder().encodeToString(head));
            }
        } catch (IOException e) {
            LOG.fine("cannot read the head of " + t.tailer.path() + ": " + e.getMessage());
        }
    }

    private static byte[] read(FileChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, b.position()) <= 0) {
                return null;
            }
        }
        return b.array();
    }

    /** Regular, uncompressed files named like rotations of {@code live}: {@code app.log.1}, {@code app.log-20251125}. */
    private static List<Path> rotatedNamesOf(Path live) {
        List<Path> out = new ArrayList<>();
        if (live.getParent() == null) {
            return out;
        }
        String base = live.getFileName().toString();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(live.getParent(), p -> {
            String n = p.getFileName().toString();
            return (n.startsWith(base + ".") || n.startsWith(base + "-")) && !FileDiscovery.isCompressed(p) && Files.isRegularFile(p);
        })) {
            ds.forEach(out::add);
        } catch (IOException e) {
            LOG.fine("cannot list " + live.getParent() + ": " + e.getMessage());
        }
        return out;
    }

    private static Map<FileIdentity, Path> identitiesIn(Path dir) {
        Map<FileIdentity, Path> out = new HashMap<>();
        if (dir == null) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (FileDiscovery.isCompressed(p) || !Files.isRegularFile(p)) {
                    continue;
                }
                FileIdentity id = FileIdentity.ofOrNull(p);
                if (id != null) {
                    out.putIfAbsent(id, p);
                }
            }
        } catch (IOException e) {
            LOG.fine("directory " + dir + " is gone: " + e.getMessage()); // so are its files
        }
        return out;
    }
}

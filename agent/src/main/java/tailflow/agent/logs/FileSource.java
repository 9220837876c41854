package tailflow.agent.logs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import tailflow.agent.files.Glob;
import tailflow.agent.logs.FileTailer.PollResult;
import tailflow.agent.loki.LokiClient;
import tailflow.agent.pipeline.Chain;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.Source;
import tailflow.agent.positions.PositionsFile;

/**
 * The files of one client's targets as a {@link Source}: discovery every {@code sync_period},
 * following files by identity through rotation by rename or copytruncate, read fairness, and the
 * positions of the files ({@link PositionLedger}) in the client's section of the positions file.
 * Recovery after a restart is {@link FileRecovery}'s job, line admission {@link LineAdmission}'s.
 *
 * <p>Just over 400 lines: discovery, rotation and read fairness share the tails map and the ledger
 * on one thread; what could leave has left (FileRecovery, FileProblems, FileMetrics, LineAdmission).
 */
public final class FileSource implements Source {

    private static final Logger LOG = Logger.getLogger(FileSource.class.getName());

    /** Settings of one client's file source. */
    public record Settings(String clientKey, String host, List<Target> targets, int maxLineSize,
            Duration partialLineWait, Duration scanPeriod, Duration positionsSyncPeriod, boolean primary) {}

    private final Settings settings;
    private final PositionsFile positions;
    private final LokiClient client;
    private final Map<String, Chain> chains;
    private final Clock clock;
    private final LongSupplier mono;
    private final PositionLedger ledger;
    private final FileTailer.ReadBuffer readBuffer;
    private final FileMetrics metrics;
    private final LineAdmission admission;
    private final FileRecovery recovery;
    private final long closeGraceNanos;
    private final Map<FileIdentity, FileTail> tails = new LinkedHashMap<>();
    private final FileProblems problems;
    /** Sleeps the reader while every file is quiet (inotify), instead of its 250 ms poll. */
    private final FileWatch watch = new FileWatch();
    private final List<Runnable> openLater = new ArrayList<>();
    private long nextScan;
    private long startedMillis;
    private long lastPositionsError;

    /**
     * @param chains the chain of every job of {@code settings.targets()}, by job name
     */
    public FileSource(Settings settings, PositionsFile positions, LokiClient client, Map<String, Chain> chains,
            Clock clock, LongSupplier mono, FileMetrics metrics) {
        this.settings = settings;
        this.positions = positions;
        this.client = client;
        this.chains = Map.copyOf(chains);
        this.clock = clock;
        this.mono = mono;
        this.metrics = metrics;
        this.ledger = new PositionLedger(Math.min(TimeUnit.SECONDS.toNanos(1), settings.positionsSyncPeriod().toNanos()));
        this.readBuffer = new FileTailer.ReadBuffer(settings.maxLineSize());
        this.admission = new LineAdmission(settings.maxLineSize(), client, ledger, metrics);
        this.recovery = new FileRecovery(positions, ledger, settings.clientKey());
        this.problems = new FileProblems(metrics);
        this.closeGraceNanos = Math.max(settings.partialLineWait().toNanos(), TimeUnit.SECONDS.toNanos(1));
    }

    @Override
    public String name() {
        return "files";
    }

    @Override
    public void open() {
        startedMillis = clock.millis();
        recovery.restore();
        scan(true);
        nextScan = mono.getAsLong() + settings.scanPeriod().toNanos();
    }

    @Override
    public void maintain(long monoNanos) {
        if (monoNanos >= nextScan) {
            scan(false);
            nextScan = monoNanos + settings.scanPeriod().toNanos();
        }
    }

    /** Finds new files, reopens files rotated away (maybe while the agent was down), forgets files that are gone. */
    private void scan(boolean startup) {
        Set<FileIdentity> matched = new HashSet<>();
        for (Target target : settings.targets()) {
            FileDiscovery.Result result;
            try {
                result = FileDiscovery.scan(target.pathGlob(), target.excludeGlob());
            } catch (IllegalArgumentException e) {
                problems.reportOnce(target.pathGlob(), "bad glob: " + e.getMessage());
                continue;
            }
            for (FileDiscovery.Unreadable u : result.unreadable()) {
                String key = u.path() + ": " + u.reason();
                metrics.fileErrors.inc(1, u.reason());
                problems.reportOnce(key, "cannot tail " + u.path() + ": " + u.reason() + " (retrying every "
                        + settings.scanPeriod().toSeconds() + " s)");
            }
            for (Path path : result.matched()) {
                FileIdentity id = FileIdentity.ofOrNull(path);
                if (id == null || !matched.add(id) || tails.containsKey(id) || problems.isBinary(id)) {
                    continue;
                }
                PositionLedger.Entry known = recycledInodeCheck(ledger.get(id), path);
                if (known == null || !known.finished()) {
                    open(path, id, target, known != null && !known.label().equals(path.toString()), path.toString());
                }
            }
        }
        // Files with positions that did not match: rotated (maybe while we were down) or gone.
        for (FileRecovery.Found f : recovery.rotatedAway(id -> tails.containsKey(id) || matched.contains(id))) {
            Target target = targetFor(f.label());
            if (target != null) {
                LOG.info((startup ? "rotated while the agent was down: " : "found rotated file: ") + f.label()
                        + " is now " + f.path() + "; draining it from offset " + f.from());
                open(f.path(), f.identity(), target, true, f.label());
            }
        }
        for (String gone : recovery.forgotten()) {
            metrics.lag.remove(settings.host(), gone);
        }
        for (FileRecovery.Found f : recovery.unknownRotations(tails::containsKey, startup ? recovery.positionsWrittenBeforeStart()
                : startedMillis)) {
            Target target = targetFor(f.label());
            if (target != null) {
                open(f.path(), f.identity(), target, true, f.label());
            }
        }
        for (FileTail t : tails.values()) {
            recovery.recordHead(t, false);
        }
        metrics.activeFiles.set(tails.size());
        // Every file the agent will read is on disk before it reads a line of it: a crash now still
        // finds the file after a rotation that takes it out of the glob.
        recordNewFiles();
    }

    private Target targetFor(String label) {
        for (Target t : settings.targets()) {
            if (Glob.compile(t.pathGlob()).matches(label)) {
                return t;
            }
        }
        return settings.targets().isEmpty() ? null : settings.targets().get(0);
    }

    private void open(Path path, FileIdentity id, Target target, boolean rotated, String label) {
        long now = mono.getAsLong();
        java.util.Optional<String> notText = BinaryContent.check(path);
        if (notText.isPresent()) {
            problems.binary(path, id, notText.get());
            return;
        }
        PositionLedger.Entry entry = ledger.track(id, label);
        try {
            FileTailer tailer = FileTailer.open(path, id, entry.acked(), settings.maxLineSize(),
                    settings.partialLineWait().toNanos(), now);
            if (tailer.size() < entry.acked() || FileRecovery.headChanged(entry, tailer.channel())) {
                LOG.info(path + " was truncated since its position " + entry.acked() + " was saved (copytruncate); reading from the start");
                long acked = entry.acked();
                recovery.truncatedWhileDown(entry, path).ifPresentOrElse(copy -> drainCopy(copy, entry, target, acked),
                        () -> ledger.truncated(entry));
                tailer.restartAt(0);
            }
            if (rotated) {
                tailer.markRotated(now);
            }
            FileTail tail = new FileTail(tailer, entry, target, chains.get(target.job()), metrics);
            tails.put(id, tail);
            recovery.recordHead(tail, false);
            problems.resolved(path.toString());
            LOG.info("tailing " + path + (rotated ? " (rotated, draining)" : "") + " (" + id + ") from offset " + tailer.readOffset());
        } catch (IOException e) {
            metrics.fileErrors.inc(1, "open failed");
            problems.reportOnce(path.toString(), "cannot open " + path + ": " + e.getMessage() + " (retrying)");
        }
    }

    /** Drains a copytruncate copy from {@code from}, as a rotated file under the live file's name. */
    private void drainCopy(FileRecovery.Found copy, PositionLedger.Entry live, Target target, long from) {
        PositionLedger.Entry c = ledger.copied(live, copy.identity());
        LOG.info(live.label() + " was copied to " + copy.path() + " and truncated; draining the copy from offset " + from
                + " (acknowledged up to " + c.acked() + ")");
        openLater.add(() -> {
            try {
                FileTailer tailer = FileTailer.open(copy.path(), c.identity(), from, settings.maxLineSize(),
                        settings.partialLineWait().toNanos(), mono.getAsLong());
                tailer.markRotated(mono.getAsLong());
                if (!tails.containsKey(c.identity())) { // a scan may have found it first (after a restart)
                    tails.put(c.identity(), new FileTail(tailer, c, target, chains.get(target.job()), metrics));
                } else {
                    close(tailer);
                }
            } catch (IOException e) {
                LOG.warning("cannot open the copy " + copy.path() + " of " + live.label() + ": " + e.getMessage()
                        + "; it is drained after a restart");
            }
        });
    }

    @Override
    public boolean read(long monoNanos) {
        boolean progressed = readRound();
        if (!openLater.isEmpty()) {
            List<Runnable> due = new ArrayList<>(openLater);
            openLater.clear();
            due.forEach(Runnable::run);
            metrics.activeFiles.set(tails.size());
            recordNewFiles();
        }
        return progressed;
    }

    /** One pass over the files, rotated ones first (the old file is drained before its successor). */
    private boolean readRound() {
        boolean progressed = false;
        long budget = Math.max(64 * 1024, client.limit() / Math.max(1, tails.size()));
        List<FileIdentity> closed = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            for (FileTail t : tails.values()) {
                if (t.tailer.rotated() != (pass == 0)) {
                    continue;
                }
                if (client.full()) {
                    break;
                }
                progressed |= poll(t, budget, closed);
            }
        }
        closed.forEach(tails::remove);
        if (!closed.isEmpty()) {
            metrics.activeFiles.set(tails.size());
        }
        return progressed;
    }

    private boolean poll(FileTail t, long budget, List<FileIdentity> closed) {
        long now = mono.getAsLong();
        FileTailer tailer = t.tailer;
        boolean flush = tailer.rotated() && now - tailer.rotatedSinceNanos() >= closeGraceNanos;
        if (!tailer.hasFingerprint() && !t.entry.head().isEmpty() && tailer.readOffset() == t.entry.acked()
                && recovery.rewrittenSinceOpen(t)) {
            truncated(t); // copytruncate before anything was read since the open
            return true;
        }
        PollResult result;
        admission.begin(t, now, wallNanos());
        try {
            result = tailer.poll(readBuffer, admission, now, flush, budget);
        } catch (IOException e) {
            LOG.warning("reading " + tailer.path() + " failed: " + e.getMessage());
            return false;
        } finally {
            admission.end(tailer.readOffset());
        }
        metrics.fileBytes.set(tailer.lastSize(), t.metricPath);
        if (t.acceptedThisPoll > 0 && t.entry.head().isEmpty()) {
            recovery.recordHead(t, true);
        }
        if (result == PollResult.BINARY) {
            close(tailer);
            closed.add(tailer.identity());
            ledger.forget(tailer.identity());
            metrics.lag.remove(settings.host(), t.metricPath);
            problems.binary(tailer.path(), tailer.identity(), BinaryContent.REASON + " (NUL bytes after offset " + tailer.readOffset() + ")");
            return false;
        }
        if (result == PollResult.TRUNCATED) {
            truncated(t);
            return true;
        }
        if (result == PollResult.EOF || result == PollResult.WAITING_PARTIAL) {
            if (tailer.rotated()) {
                if (result == PollResult.EOF && flush && now - tailer.lastGrowthNanos() >= closeGraceNanos) {
                    close(tailer);
                    ledger.finished(t.entry);
                    closed.add(tailer.identity());
                    LOG.info("drained and closed " + tailer.path() + " (" + tailer.identity() + ") at offset " + tailer.readOffset());
                }
            } else if (now >= t.nextRotationCheck) {
                t.nextRotationCheck = now + TimeUnit.MILLISECONDS.toNanos(50);
                checkRotation(t, now);
            }
        }
        return t.acceptedThisPoll > 0;
    }

    /** copytruncate seen: drain the copy from where reading stopped if there is one, read the file again from its start. */
    private void truncated(FileTail t) {
        LOG.info(t.tailer.path() + " was truncated (copytruncate); reading it from the start");
        recovery.copyOf(t).ifPresentOrElse(copy -> drainCopy(copy, t.entry, t.target, copy.from()), () -> ledger.truncated(t.entry));
        t.tailer.restartAt(0);
    }

    private void checkRotation(FileTail t, long now) {
        Path path = Path.of(t.entry.label());
        FileIdentity there = FileIdentity.ofOrNull(path);
        if (t.tailer.identity().equals(there)) {
            return;
        }
        t.tailer.markRotated(now);
        if (there != null && !tails.containsKey(there)) {
            Target target = targetFor(path.toString());
            PositionLedger.Entry known = recycledInodeCheck(ledger.get(there), path);
            if (target != null && (known == null || !known.finished())) {
                openLater.add(() -> {
                    if (!tails.containsKey(there)) {
                        open(path, there, target, false, path.toString());
                    }
                });
            }
        }
        LOG.info(path + " was rotated (" + t.tailer.identity() + " -> " + (there == null ? "gone" : there)
                + "); draining the old file from offset " + t.tailer.readOffset());
    }

    /**
     * A drained, rotated-away file never comes back under its live name: if its identity shows up
     * there, the file system recycled the inode for a new file. Forget the old entry.
     */
    private PositionLedger.Entry recycledInodeCheck(PositionLedger.Entry known, Path path) {
        if (known != null && known.finished() && known.label().equals(path.toString())) {
            LOG.info(path + " reuses the inode of a file drained earlier (" + known.identity() + "); reading it as a new file");
            ledger.forget(known.identity());
            return null;
        }
        return known;
    }

    @Override
    public boolean readyToSend() {
        if (ledger.hasPendingLeases()) {
            writePositions();
        }
        return !ledger.hasPendingLeases(); // timestamps not on disk yet: do not send their lines
    }

    private void recordNewFiles() {
        if (ledger.hasPendingLeases()) {
            writePositions();
        }
    }

    @Override
    public void acknowledged(Checkpoint checkpoint) {
        if (checkpoint instanceof Checkpoint.FileOffset offset && offset.file() instanceof PositionLedger.Generation g) {
            ledger.acknowledge(g, offset.endOffset());
            PositionLedger.Entry e = ledger.owner(g);
            FileTail t = e == null ? null : tails.get(e.identity());
            if (t != null) {
                metrics.lag.set(Math.max(0, t.tailer.lastSize() - e.acked()), settings.host(), t.metricPath);
            }
        }
    }

    @Override
    public void savePositions(boolean force) {
        if (force || ledger.dirty()) {
            writePositions();
        }
    }

    private void writePositions() {
        try {
            positions.writeFiles(settings.clientKey(), ledger.snapshot(wallNanos()));
            ledger.markDurable();
        } catch (IOException e) {
            long now = mono.getAsLong();
            if (now - lastPositionsError > TimeUnit.SECONDS.toNanos(30) || lastPositionsError == 0) {
                lastPositionsError = now;
                LOG.severe("cannot write positions file " + positions.path() + ": " + e.getMessage()
                        + "; not sending new lines until it can be written");
            }
        }
    }

    private long wallNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean awaitChange(long timeoutNanos) throws InterruptedException {
        if (watch.armed()) {
            watch.await(timeoutNanos); // a change or the safety poll's timeout: either way the reader slept
            return true;
        }
        Set<Path> dirs = new HashSet<>();
        tails.values().forEach(t -> dirs.add(t.tailer.path().toAbsolutePath().getParent()));
        settings.targets().forEach(t -> dirs.add(Path.of(Glob.compile(t.pathGlob()).baseDirectory())));
        dirs.remove(null);
        watch.arm(dirs);
        return false; // read once more: a line written before the arming has no event
    }

    @Override
    public void stopAwaiting() {
        watch.disarm();
    }

    @Override
    public void close() {
        watch.close();
        tails.values().forEach(t -> close(t.tailer));
        tails.clear();
    }

    private static void close(FileTailer tailer) {
        try {
            tailer.close();
        } catch (IOException e) {
            LOG.fine("closing " + tailer.path() + ": " + e.getMessage()); // a read-only channel: nothing lost
        }
    }
}

package tailflow.agent.logs;

import tailflow.agent.files.Glob;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import tailflow.agent.logs.FileTailer.PollResult;
import tailflow.agent.logs.PositionLedger.Entry;
import tailflow.agent.loki.Batch;
import tailflow.agent.loki.BatchSink;
import tailflow.agent.loki.LabelSet;
import tailflow.agent.ops.metrics.Metrics;

/**
 * Everything one Loki client needs, independent of the other clients (so a slow client never
 * holds back a fast one): its own tailers, batches, sender and positions.
 *
 * <p>Two threads. The reader discovers files, reads lines into the current batch, timestamps
 * them through the {@link PositionLedger}, hands a batch to the sender when it is full or
 * {@code batchwait} old and the previous one was acknowledged, and applies acknowledgements to
 * the positions. The sender delivers one batch at a time (retrying forever). So at most two
 * batches exist: while Loki is down the reader fills the next one and then stops reading.
 */
public final class ClientPipeline {

    private static final Logger LOG = Logger.getLogger(ClientPipeline.class.getName());
    private static final long MAX_REQUEST_BYTES = 4L * 1024 * 1024 - 64 * 1024;
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Settings of one pipeline. */
    public record Settings(String clientKey, String host, List<Target> targets, int maxLineSize,
            Duration partialLineWait, Duration scanPeriod, Duration positionsSyncPeriod,
            Duration batchWait, long batchBytes, boolean primary) {}

    private final Settings settings;
    private final PositionsFile positions;
    private final BatchSink sink;
    private final Clock clock;
    private final LongSupplier mono;
    private final PositionLedger ledger;
    private final FileTailer.ReadBuffer readBuffer;
    private final long batchLimit;
    private final long closeGraceNanos;

    private final Map<FileIdentity, Tail> tails = new LinkedHashMap<>();
    private final Set<String> reportedUnreadable = new HashSet<>();
    private final BlockingQueue<Batch> toSend = new ArrayBlockingQueue<>(1);
    private final BlockingQueue<Batch> delivered = new ArrayBlockingQueue<>(2);
    private Batch current = new Batch();
    private Batch spare = new Batch();
    private boolean inFlight;
    private boolean currentFull;

    private final Thread reader;
    private final Thread sender;
    private volatile boolean stopRequested;
    private volatile long stopDeadlineNanos;
    private volatile boolean scannedOnce;
    private volatile boolean stopped;
    private final Object stopLock = new Object();
    private long lastPositionsError;

    private final Metrics.Counter readBytes;
    private final Metrics.Counter readLines;
    private final Metrics.Gauge fileBytes;
    private final Metrics.Gauge lag;
    private final Metrics.Gauge activeFiles;
    private final Metrics.Counter mutatedEntries;
    private final Metrics.Counter mutatedBytes;
    private final Metrics.Counter fileErrors;
    private final Metrics.Counter encodingErrors; // same family as mutatedEntries, reason="invalid_utf8"

    /** A file being read: its tailer, ledger entry, stream labels and per-file metric cells. */
    private final class Tail {
        final FileTailer tailer;
        final Entry entry;
        final Target target;
        final String labels;
        final String metricPath;
        final LongAdder lines;
        final LongAdder bytes;
        int stream = -1;
        Batch streamBatch;
        int acceptedThisPoll;
        long nextRotationCheck;

        Tail(FileTailer tailer, Entry entry, Target target) {
            this.tailer = tailer;
            this.entry = entry;
            this.target = target;
            Map<String, String> labels = new HashMap<>(target.labels());
            labels.put("filename", entry.label());
            this.labels = LabelSet.format(labels);
            this.metricPath = entry.label();
            this.lines = readLines.labels(metricPath);
            this.bytes = readBytes.labels(metricPath);
        }
    }

    public ClientPipeline(Settings settings, PositionsFile positions, BatchSink sink, Clock clock, LongSupplier mono,
            Metrics metrics) {
        this.settings = settings;
        this.positions = positions;
        this.sink = sink;
        this.clock = clock;
        this.mono = mono;
        this.ledger = new PositionLedger(Math.min(TimeUnit.SECONDS.toNanos(1), settings.positionsSyncPeriod().toNanos()));
        this.readBuffer = new FileTailer.ReadBuffer(settings.maxLineSize());
        this.batchLimit = Math.min(settings.batchBytes(), MAX_REQUEST_BYTES);
        this.closeGraceNanos = Math.max(settings.partialLineWait().toNanos(), TimeUnit.SECONDS.toNanos(1));
        // Per-file read metrics come from the first client only, so two clients do not count a file twice.
        Metrics m = settings.primary() ? metrics : new Metrics();
        this.readBytes = m.counter("tailflow_read_bytes_total", "Number of bytes read from files.", "path");
        this.readLines = m.counter("tailflow_read_lines_total", "Number of lines read from files.", "path");
        this.fileBytes = m.gauge("tailflow_file_bytes_total", "Size of the files being tailed.", "path");
        this.activeFiles = m.gauge("tailflow_files_active_total", "Number of files being tailed.");
        this.mutatedEntries = m.counter("tailflow_mutated_entries_total", "Lines changed before sending.", "reason");
        this.mutatedBytes = m.counter("tailflow_mutated_bytes_total", "Bytes removed from lines before sending.", "reason");
        this.fileErrors = m.counter("tailflow_file_errors_total", "Matched files that could not be read.", "reason");
        this.encodingErrors = mutatedEntries;
        this.lag = metrics.gauge("tailflow_positions_lag_bytes",
                "Bytes of a file not yet acknowledged by Loki (file size minus position).", "host", "path");
        this.reader = new Thread(this::readLoop, "logs-reader-" + settings.host());
        this.sender = new Thread(this::sendLoop, "logs-sender-" + settings.host());
        reader.setDaemon(true);
        sender.setDaemon(true);
    }

    public void start() {
        reader.start();
        sender.start();
    }

    /** Ready once every target was scanned and the last push succeeded (or none was needed). */
    public boolean ready() {
        return scannedOnce && sink.healthy() && !stopped;
    }

    /** Stops reading, flushes what is batched until {@code deadlineNanos} (mono clock), writes positions. */
    public void requestStop(long deadlineNanos) {
        stopDeadlineNanos = deadlineNanos;
        stopRequested = true;
        reader.interrupt();
    }

    /** Waits for the reader to finish its shutdown; true if it did in time. */
    public boolean awaitStopped(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - mono.getAsLong();
        reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        sender.interrupt();
        sender.join(200);
        return !reader.isAlive();
    }

    // ---------------------------------------------------------------- reader thread

    private void readLoop() {
        try {
            restore();
            scan(true);
            scannedOnce = true;
            long nextScan = mono.getAsLong() + settings.scanPeriod().toNanos();
            long nextSync = mono.getAsLong() + settings.positionsSyncPeriod().toNanos();
            while (!stopRequested) {
                applyAcknowledgements(0);
                long now = mono.getAsLong();
                if (now >= nextScan) {
                    scan(false);
                    nextScan = now + settings.scanPeriod().toNanos();
                }
                boolean progressed = readRound();
                boolean handedOff = handOffIfDue();
                if (mono.getAsLong() >= nextSync) {
                    if (ledger.dirty()) {
                        writePositions();
                    }
                    nextSync = mono.getAsLong() + settings.positionsSyncPeriod().toNanos();
                }
                if (currentFull && inFlight || !progressed && !handedOff) {
                    applyAcknowledgements(IDLE_WAIT_NANOS);
                }
            }
        } catch (InterruptedException e) {
            // stop requested while waiting
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "log pipeline for " + settings.host() + " failed: " + e, e);
            shutdown();
            // Let the thread die of it: the daemon's uncaught-exception handler then exits non-zero
            // and systemd's Restart=on-failure starts a fresh agent, instead of an "active" unit
            // that ships nothing. Positions were written above, so the restart resumes exactly.
            throw e;
        }
        shutdown();
    }

    private void shutdown() {
        Thread.interrupted();
        try {
            // Flush: what is batched goes out (bounded by the deadline); nothing more is read.
            while (mono.getAsLong() < stopDeadlineNanos) {
                applyAcknowledgements(0);
                if (!inFlight && current.isEmpty()) {
                    break;
                }
                if (!inFlight) {
                    handOff();
                }
                applyAcknowledgements(Math.min(IDLE_WAIT_NANOS, Math.max(0, stopDeadlineNanos - mono.getAsLong())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
        Thread.interrupted();
        writePositions();
        for (Tail t : tails.values()) {
            try {
                t.tailer.close();
            } catch (IOException ignored) {
                // closing a read-only channel
            }
        }
        tails.clear();
        stopped = true;
        synchronized (stopLock) {
            stopLock.notifyAll();
        }
    }

    private void restore() {
        try {
            PositionLedger.Snapshot saved = positions.read(settings.clientKey());
            if (saved != null) {
                ledger.restore(saved);
                return;
            }
            Map<String, Long> promtail = positions.readPromtail();
            for (Map.Entry<String, Long> p : promtail.entrySet()) {
                Path path = Path.of(p.getKey());
                FileIdentity id = FileIdentity.ofOrNull(path);
                if (id == null) {
                    continue;
                }
                long size = Files.size(path);
                long offset = p.getValue() <= size ? p.getValue() : 0;
                ledger.imported(id, p.getKey(), offset);
                LOG.info("resuming " + path + " at offset " + offset + " from Promtail's positions file " + positions.path());
            }
        } catch (IOException e) {
            LOG.warning("cannot read positions file " + positions.path() + ": " + e.getMessage()
                    + "; starting from the beginning of every file");
        }
    }

    /** Finds new files, reopens files rotated while the agent was down, forgets files that are gone. */
    private void scan(boolean startup) {
        Set<FileIdentity> matched = new HashSet<>();
        for (Target target : settings.targets()) {
            FileDiscovery.Result result;
            try {
                result = FileDiscovery.scan(target.pathGlob(), target.excludeGlob());
            } catch (IllegalArgumentException e) {
                reportOnce(target.pathGlob(), "bad glob: " + e.getMessage());
                continue;
            }
            Set<String> now = new HashSet<>();
            for (FileDiscovery.Unreadable u : result.unreadable()) {
                String key = u.path() + ": " + u.reason();
                now.add(key);
                fileErrors.inc(1, u.reason());
                reportOnce(key, "cannot tail " + u.path() + ": " + u.reason() + " (retrying every "
                        + settings.scanPeriod().toSeconds() + " s)");
            }
            for (Path path : result.matched()) {
                FileIdentity id = FileIdentity.ofOrNull(path);
                if (id == null || matched.contains(id)) {
                    continue;
                }
                matched.add(id);
                if (tails.containsKey(id)) {
                    continue;
                }
                Entry known = recycledInodeCheck(ledger.get(id), path);
                if (known != null && known.finished()) {
                    continue;
                }
                open(path, id, target, known != null && !known.label().equals(path.toString()));
            }
        }
        // Files we have positions for but did not match: rotated (maybe while we were down) or gone.
        Map<Path, Map<FileIdentity, Path>> dirs = new HashMap<>();
        for (Entry e : new ArrayList<>(ledger.entries())) {
            if (tails.containsKey(e.identity()) || matched.contains(e.identity())) {
                continue;
            }
            Path labelPath = Path.of(e.label());
            Path dir = labelPath.toAbsolutePath().getParent();
            Path found = dirs.computeIfAbsent(dir, ClientPipeline::identitiesIn).get(e.identity());
            if (found == null) {
                if (!e.finished()) {
                    LOG.warning("file " + e.label() + " (" + e.identity() + ") is gone (deleted or compressed); lines after offset "
                            + e.acked() + " that were not shipped are lost");
                }
                ledger.forget(e.identity());
                lag.remove(settings.host(), e.label());
            } else if (!e.finished()) {
                Target target = targetFor(e.label());
                if (target != null) {
                    LOG.info((startup ? "rotated while the agent was down: " : "found rotated file: ") + e.label()
                            + " is now " + found + "; draining it from offset " + e.acked());
                    open(found, e.identity(), target, true);
                }
            }
        }
        if (startup) {
            drainUnknownRotations();
        }
        activeFiles.set(tails.size());
    }

    /**
     * A file can be created and rotated away entirely while the agent is down (two rotations
     * during the downtime). Such a file has a rotated name ({@code app.log.1},
     * {@code app.log-20251125}) of a file we tail, an identity we never saw, and was written
     * after our last positions write: none of its lines was sent (a line is only sent after its
     * file's entry is on disk), so it is shipped from the start, under the live file's name.
     */
    private void drainUnknownRotations() {
        long since;
        try {
            since = positions.lastWrittenBeforeStart();
        } catch (IOException e) {
            return;
        }
        if (since < 0) {
            return;
        }
        Set<String> labels = new HashSet<>();
        for (Entry e : ledger.entries()) {
            labels.add(e.label());
        }
        for (String label : labels) {
            Path live = Path.of(label).toAbsolutePath();
            Target target = targetFor(label);
            if (live.getParent() == null || target == null) {
                continue;
            }
            String base = live.getFileName().toString();
            List<Path> candidates = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(live.getParent())) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    if ((name.startsWith(base + ".") || name.startsWith(base + "-")) && !FileDiscovery.isCompressed(p)
                            && Files.isRegularFile(p) && Files.getLastModifiedTime(p).toMillis() > since) {
                        FileIdentity id = FileIdentity.ofOrNull(p);
                        if (id != null && ledger.get(id) == null && !tails.containsKey(id)) {
                            candidates.add(p);
                        }
                    }
                }
            } catch (IOException e) {
                continue;
            }
            candidates.sort((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()));
            for (Path p : candidates) {
                FileIdentity id = FileIdentity.ofOrNull(p);
                if (id != null) {
                    LOG.info(p + " was created and rotated while the agent was down; shipping it as " + label);
                    open(p, id, target, true, label);
                }
            }
        }
    }

    private Target targetFor(String label) {
        for (Target t : settings.targets()) {
            if (Glob.compile(t.pathGlob()).matches(label)) {
                return t;
            }
        }
        return settings.targets().isEmpty() ? null : settings.targets().get(0);
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
            // directory gone: nothing there
        }
        return out;
    }

    private void open(Path path, FileIdentity id, Target target, boolean rotated) {
        open(path, id, target, rotated, path.toString());
    }

    private void open(Path path, FileIdentity id, Target target, boolean rotated, String label) {
        long now = mono.getAsLong();
        Entry entry = ledger.track(id, label);
        try {
            FileTailer tailer = FileTailer.open(path, id, entry.acked(), settings.maxLineSize(),
                    settings.partialLineWait().toNanos(), now);
            if (tailer.size() < entry.acked()) {
                LOG.info(path + " is shorter than its position " + entry.acked() + " (truncated, copytruncate); reading from the start");
                ledger.truncated(entry);
                tailer.restartAt(0);
            }
            if (rotated) {
                tailer.markRotated(now);
            }
            tails.put(id, new Tail(tailer, entry, target));
            reportedUnreadable.remove(path.toString());
            LOG.info("tailing " + path + (rotated ? " (rotated, draining)" : "") + " (" + id + ") from offset " + tailer.readOffset());
        } catch (IOException e) {
            fileErrors.inc(1, "open failed");
            reportOnce(path.toString(), "cannot open " + path + ": " + e.getMessage() + " (retrying)");
        }
    }

    private void reportOnce(String key, String message) {
        if (reportedUnreadable.add(key)) {
            LOG.warning(message);
        }
    }

    /** One pass over the files; true if any line was read. */
    private boolean readRound() {
        boolean progressed = false;
        long budget = Math.max(64 * 1024, batchLimit / Math.max(1, tails.size()));
        List<FileIdentity> closed = new ArrayList<>();
        // Rotated files first: the old file is drained before its successor.
        for (int pass = 0; pass < 2; pass++) {
            for (Tail t : tails.values()) {
                if (t.tailer.rotated() != (pass == 0)) {
                    continue;
                }
                if (currentFull) {
                    return progressed;
                }
                progressed |= poll(t, budget, closed);
            }
        }
        for (FileIdentity id : closed) {
            tails.remove(id);
        }
        if (!closed.isEmpty()) {
            activeFiles.set(tails.size());
        }
        return progressed;
    }

    private boolean poll(Tail t, long budget, List<FileIdentity> closed) {
        long now = mono.getAsLong();
        FileTailer tailer = t.tailer;
        boolean flush = tailer.rotated() && now - tailer.rotatedSinceNanos() >= closeGraceNanos;
        PollResult result;
        t.acceptedThisPoll = 0;
        try {
            polling = t;
            pollMono = now;
            pollWall = wallNanos();
            result = tailer.poll(readBuffer, lineSink, now, flush, budget);
        } catch (IOException e) {
            LOG.warning("reading " + tailer.path() + " failed: " + e.getMessage());
            return false;
        } finally {
            polling = null;
        }
        if (t.acceptedThisPoll > 0) {
            current.markRange(t.entry.source(), tailer.readOffset());
        }
        fileBytes.set(tailer.lastSize(), t.metricPath);
        if (result == PollResult.TRUNCATED) {
            drainCopy(t);
            LOG.info(tailer.path() + " was truncated (copytruncate); reading it from the start");
            ledger.truncated(t.entry);
            tailer.restartAt(0);
            return true;
        }
        if (result == PollResult.SINK_FULL) {
            currentFull = true;
        }
        if (result == PollResult.EOF || result == PollResult.WAITING_PARTIAL) {
            if (tailer.rotated()) {
                if (result == PollResult.EOF && flush && now - tailer.lastGrowthNanos() >= closeGraceNanos) {
                    try {
                        tailer.close();
                    } catch (IOException ignored) {
                        // read-only channel
                    }
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

    private void checkRotation(Tail t, long now) {
        Path path = Path.of(t.entry.label());
        FileIdentity there = FileIdentity.ofOrNull(path);
        if (t.tailer.identity().equals(there)) {
            return;
        }
        t.tailer.markRotated(now);
        if (there != null && !tails.containsKey(there)) {
            Target target = targetFor(path.toString());
            Entry known = recycledInodeCheck(ledger.get(there), path);
            if (target != null && (known == null || !known.finished())) {
                openLater.add(() -> {
                    if (!tails.containsKey(there)) {
                        open(path, there, target, false);
                    }
                });
            }
        }
        LOG.info(path + " was rotated (" + t.tailer.identity() + " -> " + (there == null ? "gone" : there)
                + "); draining the old file from offset " + t.tailer.readOffset());
    }

    /**
     * copytruncate: the lines after our offset that were written before the truncation are in
     * the copy ({@code app.log.1}). Find it (same bytes just before our offset, at the same
     * offsets) and drain it from our offset under the live file's name, as a rotated file. Lines
     * written between the copy and the truncation are lost (logrotate's window, not ours).
     */
    private void drainCopy(Tail t) {
        Path live = t.tailer.path().toAbsolutePath();
        String base = live.getFileName().toString();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(live.getParent(), p -> {
            String n = p.getFileName().toString();
            return (n.startsWith(base + ".") || n.startsWith(base + "-")) && !FileDiscovery.isCompressed(p);
        })) {
            for (Path p : ds) {
                FileIdentity id = FileIdentity.ofOrNull(p);
                if (id == null || tails.containsKey(id) || ledger.get(id) != null || !Files.isRegularFile(p)) {
                    continue;
                }
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p)) {
                    if (!t.tailer.isCopyOfWhatWasRead(ch)) {
                        continue;
                    }
                }
                LOG.info(live + " was copied to " + p + " and truncated; draining the copy from offset " + t.tailer.readOffset());
                ledger.imported(id, t.entry.label(), t.tailer.readOffset());
                openLater.add(() -> open(p, id, t.target, true, t.entry.label())); // not while iterating the tails
                return;
            }
        } catch (IOException e) {
            LOG.warning("looking for the copy of truncated " + live + " failed: " + e.getMessage());
        }
    }

    /**
     * A drained, rotated-away file never comes back under its live name: if its identity shows up
     * there, the file system recycled the inode for a new file. Forget the old entry.
     */
    private Entry recycledInodeCheck(Entry known, Path path) {
        if (known != null && known.finished() && known.label().equals(path.toString())) {
            LOG.info(path + " reuses the inode of a file drained earlier (" + known.identity() + "); reading it as a new file");
            ledger.forget(known.identity());
            return null;
        }
        return known;
    }

    private final List<Runnable> openLater = new ArrayList<>();
    private Tail polling;
    private long pollMono;
    private long pollWall;

    private final FileTailer.LineSink lineSink = new FileTailer.LineSink() {
        @Override
        public boolean line(FileTailer tailer, byte[] buf, int off, int len, long start, long end, boolean truncated) {
            Tail t = polling;
            if (truncated) {
                int cut = Utf8.boundaryAtOrBefore(buf, off, len, settings.maxLineSize());
                mutatedEntries.inc(1, "line_too_long");
                mutatedBytes.inc(end - start - cut, "line_too_long");
                len = cut;
            }
            Batch b = current;
            if (t.streamBatch != b) {
                t.stream = b.stream(t.labels);
                t.streamBatch = b;
            }
            int at = b.reserve(Utf8.maxRepairedLength(len));
            int written = Utf8.copyRepaired(buf, off, len, b.arena(), at);
            if (written != len) {
                encodingErrors.inc(1, "invalid_utf8");
            }
            if (!b.isEmpty() && b.encodedSize() + Batch.maxEntryCost(written) > batchLimit) {
                return false;
            }
            // One clock reading per poll: a poll reads at most a batch, well under the lease refresh.
            long ts = ledger.timestamp(t.entry, start, pollWall, pollMono);
            b.commit(t.stream, written, ts, pollMono);
            t.acceptedThisPoll++;
            t.lines.increment();
            t.bytes.add(end - start);
            return true;
        }
    };

    private long wallNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Hands the current batch to the sender when it is full or old enough; true if it did. */
    private boolean handOffIfDue() {
        for (Runnable r : openLater) {
            r.run();
        }
        if (!openLater.isEmpty()) {
            openLater.clear();
            activeFiles.set(tails.size());
        }
        if (inFlight || current.isEmpty()) {
            return false;
        }
        if (currentFull || mono.getAsLong() - current.createdNanos() >= settings.batchWait().toNanos()) {
            return handOff();
        }
        return false;
    }

    /** Gives the current batch to the sender, after making its timestamp leases durable. */
    private boolean handOff() {
        if (ledger.hasPendingLeases()) {
            writePositions();
            if (ledger.hasPendingLeases()) {
                return false; // could not persist: do not send lines whose timestamps are not on disk
            }
        }
        toSend.add(current);
        inFlight = true;
        current = spare;
        spare = null;
        currentFull = false;
        return true;
    }

    /** Applies delivered batches to the positions; waits up to {@code waitNanos} for one. */
    private void applyAcknowledgements(long waitNanos) throws InterruptedException {
        Batch done = waitNanos > 0 ? delivered.poll(waitNanos, TimeUnit.NANOSECONDS) : delivered.poll();
        while (done != null) {
            for (Map.Entry<Object, Long> r : done.ranges().entrySet()) {
                PositionLedger.Source source = (PositionLedger.Source) r.getKey();
                ledger.acknowledge(source, r.getValue());
                Tail t = tails.get(source.identity());
                if (t != null) {
                    lag.set(Math.max(0, t.tailer.lastSize() - t.entry.acked()), settings.host(), t.metricPath);
                }
            }
            done.clear();
            spare = done;
            inFlight = false;
            done = delivered.poll();
        }
    }

    private void writePositions() {
        try {
            positions.write(settings.clientKey(), ledger.snapshot(wallNanos()));
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

    // ---------------------------------------------------------------- sender thread

    private void sendLoop() {
        try {
            while (true) {
                Batch b = toSend.take();
                sink.deliver(b);
                delivered.put(b);
            }
        } catch (InterruptedException e) {
            // stopping: an undelivered batch is sent again after restart, with the same timestamps
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "sender for " + settings.host() + " failed: " + e, e);
            throw e; // as in readLoop: a dead sender must end the process, not leave it idle
        }
    }
}

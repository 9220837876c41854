package tailflow.agent.logs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import tailflow.agent.loki.LokiClient;
import tailflow.agent.component.Heartbeat;
import tailflow.agent.pipeline.Chain;
import tailflow.agent.pipeline.Source;

/**
 * Everything one client needs, independent of the other clients (so a slow client never holds
 * back a fast one): its sources, its jobs' chains, its {@link LokiClient}, and the reader thread
 * that runs them.
 *
 * <p>The reader reads from the sources (which feed the chains and the client's batch), hands a
 * batch to the client's sender when it is full or {@code batchwait} old and the previous one was
 * acknowledged, gives acknowledged checkpoints back to the sources, ticks the stages and saves
 * positions every {@code positions.sync_period}.
 */
public final class ClientPipeline {

    private static final Logger LOG = Logger.getLogger(ClientPipeline.class.getName());
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * While nothing is read, batched, in flight or held by a stage, the reader's wait doubles from
     * {@link #IDLE_WAIT_NANOS} up to this: Promtail's poll of a quiet file (file_watch_config
     * max_poll_frequency, 250 ms). An idle agent's reader wakes 4 times a second instead of 10
     * (src-test/bench/idle: 0.20 % of a core for this thread at 100 ms).
     */
    private static final long QUIET_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /**
     * Once quiet at {@link #QUIET_WAIT_NANOS}, a client with only a file source sleeps until a watched
     * directory changes (inotify, {@link Source#awaitChange}) and polls at least this often for
     * what inotify cannot see (files on NFS written by another host). src-test/bench/idle: the idle
     * reader woke 4 times a second (0.15-0.20 % of a core) before.
     */
    static final long SAFETY_POLL_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private final List<Source> sources;
    private final List<Chain> chains;
    private final LokiClient client;
    private final Duration positionsSyncPeriod;
    private final LongSupplier mono;
    private final Thread reader;
    /** The reader's sign of life for the watchdog: one beat per loop turn (a quiet turn waits at most 2 s). */
    private final Heartbeat heartbeat;
    private volatile boolean stopRequested;
    private volatile long stopDeadlineNanos;
    private volatile boolean scannedOnce;
    private volatile boolean stopped;

    public ClientPipeline(String name, List<Source> sources, List<Chain> chains, LokiClient client,
            Duration positionsSyncPeriod, LongSupplier mono, Heartbeat heartbeat) {
        this.name = name;
        this.heartbeat = heartbeat;
        heartbeat.idle(); // until the thread starts
        this.sources = List.copyOf(sources);
        this.chains = List.copyOf(chains);
        this.client = client;
        this.positionsSyncPeriod = positionsSyncPeriod;
        this.mono = mono;
        this.reader = new Thread(this::readLoop, "logs-reader-" + name);
        reader.setDaemon(true);
    }

    public void start() {
        reader.start();
        client.start();
    }

    /** Ready once every source opened and the last push succeeded (or none was needed). */
    public boolean ready() {
        return scannedOnce && client.healthy() && !stopped;
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
        client.stop();
        return !reader.isAlive();
    }

    private void readLoop() {
        try {
            heartbeat.beat();
            sources.forEach(Source::open);
            scannedOnce = true;
            long nextSync = mono.getAsLong() + positionsSyncPeriod.toNanos();
            long nextTick = mono.getAsLong() + TICK_NANOS;
            long idleWait = IDLE_WAIT_NANOS;
            while (!stopRequested) {
                heartbeat.beat();
                collectAcknowledgements(0);
                long now = mono.getAsLong();
                boolean progressed = false;
                for (Source s : sources) {
                    s.maintain(now);
                    progressed |= s.read(now);
                }
                if (now >= nextTick) {
                    chains.forEach(c -> c.tick(mono.getAsLong()));
                    nextTick = now + TICK_NANOS;
                }
                boolean handedOff = client.handOffIfDue(this::sourcesReadyToSend);
                if (mono.getAsLong() >= nextSync) {
                    sources.forEach(s -> s.savePositions(false));
                    nextSync = mono.getAsLong() + positionsSyncPeriod.toNanos();
                }
                if (progressed) {
                    sources.forEach(Source::stopAwaiting);
                }
                if (client.full() && client.inFlight() || !progressed && !handedOff) {
                    boolean quiet = !progressed && client.idle() && !holding();
                    idleWait = quiet ? Math.min(QUIET_WAIT_NANOS, idleWait * 2) : IDLE_WAIT_NANOS;
                    boolean slept = quiet && idleWait == QUIET_WAIT_NANOS && sources.size() == 1
                            && sources.get(0).awaitChange(SAFETY_POLL_NANOS);
                    if (!slept) {
                        collectAcknowledgements(idleWait);
                    }
                } else {
                    idleWait = IDLE_WAIT_NANOS;
                }
            }
        } catch (InterruptedException e) {
            // stop requested while waiting
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "log pipeline for " + name + " failed: " + e, e);
            shutdown();
            // Let the thread die of it: the daemon's uncaught-exception handler then exits non-zero
            // and systemd's Restart=on-failure starts a fresh agent, instead of an "active" unit
            // that ships nothing. Positions were written above, so the restart resumes exactly.
            throw e;
        } finally {
            heartbeat.close();
        }
        shutdown();
    }

    private boolean holding() {
        for (Chain c : chains) {
            if (c.holding()) {
                return true;
            }
        }
        return false;
    }

    private boolean sourcesReadyToSend() {
        boolean ready = true;
        for (Source s : sources) {
            ready &= s.readyToSend();
        }
        return ready;
    }

    private void collectAcknowledgements(long waitNanos) throws InterruptedException {
        client.collect(waitNanos, cp -> sources.forEach(s -> s.acknowledged(cp)));
    }

    private void shutdown() {
        Thread.interrupted();
        try {
            chains.forEach(Chain::flush);
            // Flush: what is batched goes out (bounded by the deadline); nothing more is read.
            while (mono.getAsLong() < stopDeadlineNanos) {
                collectAcknowledgements(0);
                if (client.idle()) {
                    break;
                }
                client.handOff(this::sourcesReadyToSend);
                collectAcknowledgements(Math.min(IDLE_WAIT_NANOS, Math.max(0, stopDeadlineNanos - mono.getAsLong())));
            }
            client.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Thread.interrupted();
        sources.forEach(s -> s.savePositions(true));
        sources.forEach(Source::close);
        stopped = true;
    }
}

package tailflow.agent.loki;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import tailflow.agent.pipeline.Checkpoint;
import tailflow.agent.pipeline.ChainOutput;
import tailflow.agent.pipeline.Entry;
import tailflow.agent.pipeline.Labels;

/**
 * One client's batching and sending: entries (or, on the fast path, line bytes written straight
 * into {@link #batch()}) go into the current batch; a full or {@code batchwait}-old batch is
 * handed to the sender thread, which delivers one batch at a time through the {@link BatchSink}
 * (retrying forever); delivered batches come back to the reader thread as the checkpoints they
 * carried. It knows nothing of where entries came from.
 *
 * <p>At most two batches exist, so while Loki is down the reader fills the next one and then
 * stops reading ({@link #full()}): the sources are the buffer. Every method except the sender's
 * loop runs on the reader thread.
 */
public final class LokiClient implements ChainOutput {

    private static final Logger LOG = Logger.getLogger(LokiClient.class.getName());
    /** Loki's gRPC limit is 4 MiB; keep the request under it. */
    static final long MAX_REQUEST_BYTES = 4L * 1024 * 1024 - 64 * 1024;

    private final BatchSink sink;
    private final long limit;
    private final long batchWaitNanos;
    private final LongSupplier mono;
    private final String name;
    private final BlockingQueue<Batch> toSend = new ArrayBlockingQueue<>(1);
    private final BlockingQueue<Batch> delivered = new ArrayBlockingQueue<>(2);
    private final Thread sender;
    /** Entries that did not fit the current batch, in order, and checkpoints reported after them. */
    private final List<Entry> overflow = new ArrayList<>();
    private final List<Checkpoint> overflowDone = new ArrayList<>();
    private Batch current;
    private Batch spare;
    private boolean inFlight;
    private boolean full;
    private int maxStreams;
    private Runnable onStreamLimited = () -> { };

    public LokiClient(BatchSink sink, long batchBytes, Duration batchWait, LongSupplier mono, String name) {
        this.sink = sink;
        this.limit = Math.min(batchBytes, MAX_REQUEST_BYTES);
        this.current = new Batch(limit);
        this.spare = new Batch(limit);
        this.batchWaitNanos = batchWait.toNanos();
        this.mono = mono;
        this.name = name;
        this.sender = new Thread(this::sendLoop, "logs-sender-" + name);
        sender.setDaemon(true);
    }

    /**
     * Promtail's {@code limits_config.max_streams} (0: none): a batch holds at most that many
     * streams per tenant; an entry of a further stream is dropped and reported to
     * {@code onStreamLimited} (Promtail: dropped_entries_total{reason="stream_limited"}).
     */
    public void limitStreams(int max, Runnable onLimited) {
        this.maxStreams = max;
        this.onStreamLimited = onLimited;
    }

    /** Whether the current batch may take an entry with these labels; a refusal is reported. */
    public boolean admitsStream(Labels labels) {
        if (maxStreams <= 0 || current.admits(labels, maxStreams)) {
            return true;
        }
        onStreamLimited.run();
        return false;
    }

    public void start() {
        sender.start();
    }

    /** Encoded request size a batch may reach. */
    public long limit() {
        return limit;
    }

    /** The batch being filled: the fast path writes line bytes into it directly. */
    public Batch batch() {
        return current;
    }

    /** No room for more until the current batch is handed off. */
    public boolean full() {
        return full;
    }

    /** The fast path found no room for its next line. */
    public void markFull() {
        full = true;
    }

    /** Whether the last delivery succeeded (or none happened yet). */
    public boolean healthy() {
        return sink.healthy();
    }

    @Override
    public void entry(Entry entry) {
        if (!overflow.isEmpty()) {
            overflow.add(entry);
            return;
        }
        Batch b = current;
        int length = entry.line().length() * 3; // a UTF-16 char is at most 3 UTF-8 bytes
        if (!b.isEmpty() && b.encodedSize() + Batch.maxEntryCost(length) + entry.labels().lokiText().length() + 16 > limit) {
            overflow.add(entry); // stages already ran: keep it for the next batch rather than refuse
            full = true;
            return;
        }
        if (!admitsStream(entry.labels())) {
            return; // dropped; its checkpoint still comes through done()
        }
        b.add(entry, mono.getAsLong());
        if (b.encodedSize() >= limit) {
            full = true;
        }
    }

    @Override
    public void done(Checkpoint checkpoint) {
        if (overflow.isEmpty()) {
            current.mark(checkpoint);
        } else {
            overflowDone.add(checkpoint);
        }
    }

    /** Hands the current batch to the sender when it is full or {@code batchwait} old; true if it did. */
    public boolean handOffIfDue(BooleanSupplier readyToSend) {
        if (inFlight || current.isBlank()) {
            return false;
        }
        if (full || current.isEmpty() || mono.getAsLong() - current.createdNanos() >= batchWaitNanos) {
            return handOff(readyToSend);
        }
        return false;
    }

    /**
     * Gives the current batch to the sender (a batch with checkpoints but no entries, everything
     * dropped, is acknowledged at once); false if one is in flight or the sources are not ready.
     */
    public boolean handOff(BooleanSupplier readyToSend) {
        if (inFlight || current.isBlank() || !readyToSend.getAsBoolean()) {
            return false;
        }
        Batch b = current;
        current = spare;
        spare = null;
        full = false;
        inFlight = true;
        if (b.isEmpty()) {
            delivered.add(b);
        } else {
            toSend.add(b);
        }
        refill();
        return true;
    }

    private void refill() {
        if (overflow.isEmpty()) {
            return;
        }
        List<Entry> entries = new ArrayList<>(overflow);
        List<Checkpoint> done = new ArrayList<>(overflowDone);
        overflow.clear();
        overflowDone.clear();
        entries.forEach(this::entry);
        done.forEach(this::done);
    }

    /** Nothing batched, nothing in flight. */
    public boolean idle() {
        return !inFlight && current.isBlank() && overflow.isEmpty();
    }

    public boolean inFlight() {
        return inFlight;
    }

    /**
     * Passes the checkpoints of delivered batches to {@code acknowledged}; waits up to
     * {@code waitNanos} for a delivery when there is none yet.
     */
    public void collect(long waitNanos, Consumer<Checkpoint> acknowledged) throws InterruptedException {
        Batch done = waitNanos > 0 ? delivered.poll(waitNanos, TimeUnit.NANOSECONDS) : delivered.poll();
        while (done != null) {
            done.checkpoints().forEach(acknowledged);
            done.clear();
            spare = done;
            inFlight = false;
            done = delivered.poll();
        }
    }

    /** Stops the sender: an undelivered batch is sent again after a restart, with the same timestamps. */
    public void stop() throws InterruptedException {
        sender.interrupt();
        sender.join(200);
    }

    private void sendLoop() {
        try {
            while (true) {
                Batch b = toSend.take();
                sink.deliver(b);
                delivered.put(b);
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "sender for " + name + " failed: " + e, e);
            throw e; // a dead sender must end the process (Restart=on-failure), not leave it idle
        }
    }
}

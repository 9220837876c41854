package tailflow.agent.sflow;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.function.LongSupplier;
import tailflow.agent.sflow.record.SflowRecord;
import tailflow.agent.sflow.xdr.XdrWriter;

/**
 * Packs samples into sFlow v5 datagrams of at most {@code maxBytes} and {@value #MAX_SAMPLES} samples,
 * in two buffers allocated once. One sub-agent, one sequence number space: +1 per datagram sent.
 * Thread-safe: samplers and the counter poller add from their own threads.
 */
public final class DatagramAssembler {

    /** Where finished datagrams go; called with the assembler's lock held, so it must not block long. */
    @FunctionalInterface
    public interface Sink {
        void send(byte[] datagram, int length);
    }

    public static final int MAX_SAMPLES = 64;
    private static final int VERSION = 5;

    private final int subAgentId;
    private final LongSupplier uptimeMillis;
    private final Sink sink;
    private final SflowMetrics metrics;
    private final Runnable startedDatagram;
    private final byte[] datagram;
    private final XdrWriter sampleWriter;
    private InetAddress agent;
    private int headerBytes;
    private int used;
    private int samples;
    private long sequence;

    public DatagramAssembler(InetAddress agent, int subAgentId, int maxBytes, LongSupplier uptimeMillis, Sink sink,
            SflowMetrics metrics) {
        this(agent, subAgentId, maxBytes, uptimeMillis, sink, metrics, () -> { });
    }

    /**
     * @param startedDatagram called (with the lock held: it must not block) when a sample goes into an
     *                        empty datagram, so the owner can arm one flush deadline instead of a timer
     *                        that wakes while nothing is waiting
     */
    public DatagramAssembler(InetAddress agent, int subAgentId, int maxBytes, LongSupplier uptimeMillis, Sink sink,
            SflowMetrics metrics, Runnable startedDatagram) {
        this.startedDatagram = startedDatagram;
        this.subAgentId = subAgentId;
        this.uptimeMillis = uptimeMillis;
        this.sink = sink;
        this.metrics = metrics;
        this.datagram = new byte[maxBytes];
        // A sample never exceeds a datagram; a larger scratch only lets us tell "too big" from "full".
        this.sampleWriter = new XdrWriter(new byte[Math.max(maxBytes, 65_536)]);
        setAgent(agent);
    }

    /** Changes the agent address; samples already added go out first under the old one. */
    public synchronized void setAgent(InetAddress address) {
        if (samples > 0) {
            flush();
        }
        this.agent = address;
        this.headerBytes = 6 * 4 + address.getAddress().length;
        this.used = headerBytes;
    }

    public synchronized InetAddress agent() {
        return agent;
    }

    /** Adds one sample (0:3 or 0:4), sending the current datagram first when it would not fit. */
    public synchronized void add(SflowRecord sample) {
        sampleWriter.reset();
        try {
            sample.write(sampleWriter);
        } catch (IndexOutOfBoundsException e) {
            metrics.oversizedSamples.increment();
            return;
        }
        int len = sampleWriter.position();
        if (headerBytes + len > datagram.length) {
            metrics.oversizedSamples.increment();
            return;
        }
        if (used + len > datagram.length || samples == MAX_SAMPLES) {
            flush();
        }
        System.arraycopy(sampleWriter.array(), 0, datagram, used, len);
        used += len;
        if (samples++ == 0) {
            startedDatagram.run();
        }
    }

    /** Sends what has been added, if anything. */
    public synchronized void flush() {
        if (samples == 0) {
            return;
        }
        XdrWriter h = new XdrWriter(datagram);
        byte[] a = agent.getAddress();
        h.u32(VERSION).u32(agent instanceof Inet6Address ? 2 : 1).fixed(a, 0, a.length)
                .u32(subAgentId).u32(++sequence).u32(uptimeMillis.getAsLong()).u32(samples);
        int length = used;
        used = headerBytes;
        samples = 0;
        metrics.datagrams.increment();
        sink.send(datagram, length);
    }

    /** The last datagram sequence number used. */
    public synchronized long sequence() {
        return sequence;
    }
}

package tailflow.agent.sflow;

import com.sun.jna.Pointer;
import java.io.EOFException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import tailflow.agent.sflow.record.FlowSample;

/**
 * Samples one interface through pcap4j on its own thread. The 1-in-N decision is made in the kernel
 * ({@link SocketFilter}); when that is refused the thread samples in user space (random skip with
 * mean N) and says so in the log and the sampling-mode metric.
 *
 * <p>Packets that were queued in the capture ring between pcap's activation and the filter's attach
 * were not sampled: they are told apart by their kernel timestamp (earlier than the attach) and
 * ignored. libpcap only ever touches the socket filter in pcap_setfilter, which we never call; the
 * filter is re-checked with SO_GET_FILTER on every counter poll ({@link #verifyFilter()}).
 */
public final class PacketSampler implements AutoCloseable {
    private static final Logger LOG = System.getLogger("tailflow.agent.sflow");
    /** How long a read waits before checking whether to stop. */
    static final int READ_TIMEOUT_MS = 200;
    /**
     * sample_pool resolution: the interface counters are re-read at most this often. Samples are
     * already rare (the kernel samples), so a fine resolution costs a few preads per second at
     * 1-in-400; at 50 ms the pool lagged the interface by >10 % of a short burst (SflowLiveIT).
     */
    private static final long POOL_EVERY_NANOS = 5_000_000L;
    /** pcap_stats (a JNA structure per call in pcap4j) at most once a second: drops change rarely. */
    private static final long DROPS_EVERY_NANOS = 1_000_000_000L;

    private final SamplingPlan.Entry entry;
    private final int snaplen;
    private final Libpcap libpcap;
    private final SocketFilter socketFilter;
    private final java.nio.file.Path sysRoot;
    private PacketCounter poolCounter;
    private final FlowSampleFactory.TcpLookup tcp;
    private final Consumer<FlowSample> out;
    private final SflowMetrics metrics;
    private final boolean forceUserSpace;
    private final SplittableRandom random = new SplittableRandom();

    private volatile boolean running = true;
    private volatile boolean kernelMode;
    private volatile String failure;
    private PcapHandle handle;
    private int fd = -1;
    private Thread thread;
    private Instant attachedAt = Instant.EPOCH;
    private long poolBase;
    private long lastPool;
    private long drops;
    private long poolAt;
    private long dropsAt;
    private long sequence;
    private long skip;

    public PacketSampler(SamplingPlan.Entry entry, int snaplen, Libpcap libpcap, SocketFilter socketFilter,
            java.nio.file.Path sysRoot, FlowSampleFactory.TcpLookup tcp, Consumer<FlowSample> out,
            SflowMetrics metrics, boolean forceUserSpace) {
        this.entry = entry;
        this.snaplen = snaplen;
        this.libpcap = libpcap;
        this.socketFilter = socketFilter;
        this.sysRoot = sysRoot;
        this.tcp = tcp;
        this.out = out;
        this.metrics = metrics;
        this.forceUserSpace = forceUserSpace;
    }

    public SamplingPlan.Entry entry() {
        return entry;
    }

    public boolean kernelMode() {
        return kernelMode;
    }

    /** Why the sampler stopped by itself (interface gone, capture error), or null while it runs. */
    public String failure() {
        return failure;
    }

    public boolean alive() {
        return thread != null && thread.isAlive();
    }

    /**
     * Opens the capture and attaches the filter; throws {@link PcapNativeException} with libpcap's
     * message (no such device, operation not permitted without CAP_NET_RAW).
     */
    public void start() throws PcapNativeException {
        String name = entry.iface().name();
        // Immediate mode (the default, as the spec asks): a sample is read when the kernel accepts it.
        // -Dtailflow.sflow.bufferMillis=N trades up to N ms of latency for one wake-up per N ms
        // (libpcap's TPACKET_V3 block timeout), for hosts where each wake-up is expensive.
        int bufferMillis = Integer.getInteger("tailflow.sflow.bufferMillis", 0);
        handle = new PcapHandle.Builder(name)
                .snaplen(snaplen)
                .promiscuousMode(entry.promiscuous() ? PromiscuousMode.PROMISCUOUS : PromiscuousMode.NONPROMISCUOUS)
                .immediateMode(bufferMillis <= 0)
                .timeoutMillis(bufferMillis > 0 ? bufferMillis : READ_TIMEOUT_MS)
                .build();
        int rate = entry.samplingRate();
        String why = forceUserSpace ? "user-space sampling requested" : null;
        if (!forceUserSpace) {
            try {
                fd = libpcap.fileno(pcapPointer(handle));
                socketFilter.attach(fd, rate, snaplen);
                kernelMode = true;
            } catch (RuntimeException | ReflectiveOperationException e) {
                why = e.getMessage();
            }
        }
        attachedAt = Instant.now();
        try {
            poolCounter = new PacketCounter(sysRoot, name);
        } catch (java.io.IOException e) {
            handle.close();
            throw new PcapNativeException("no packet counters for " + name + " in sysfs: " + e.getMessage());
        }
        poolBase = poolCounter.packets();
        skip = nextSkip();
        metrics.sampling(name, kernelMode ? "kernel" : "user", rate);
        if (kernelMode) {
            LOG.log(Level.INFO, "sampling " + name + " 1-in-" + rate + " in the kernel (" + entry.why() + ")");
        } else {
            LOG.log(Level.WARNING, "sampling " + name + " 1-in-" + rate + " in user space, every packet is "
                    + "copied to the agent (kernel filter not attached: " + why + ")");
        }
        thread = new Thread(this::run, "sflow-pcap-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** pcap4j keeps the pcap_t private; we need it for pcap_fileno, which it does not wrap. */
    private static Pointer pcapPointer(PcapHandle h) throws ReflectiveOperationException {
        Field f = PcapHandle.class.getDeclaredField("handle");
        f.setAccessible(true);
        return (Pointer) f.get(h);
    }

    /** True when the kernel filter is still ours (or we are in user-space mode); re-attaches otherwise. */
    public boolean verifyFilter() {
        if (!kernelMode || fd < 0) {
            return true;
        }
        int len = socketFilter.installedLength(fd);
        if (len == SocketFilter.programLength(entry.samplingRate())) {
            return true;
        }
        LOG.log(Level.WARNING, "the sampling filter on " + entry.iface().name() + " was replaced ("
                + len + " instructions); attaching it again");
        try {
            socketFilter.attach(fd, entry.samplingRate(), snaplen);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "re-attaching the filter on " + entry.iface().name() + " failed: "
                    + e.getMessage());
        }
        return false;
    }

    private void run() {
        FlowSampleFactory factory = new FlowSampleFactory(entry.iface(), handle.getDlt().value(), tcp);
        String name = entry.iface().name();
        try {
            while (running) {
                byte[] frame;
                try {
                    frame = handle.getNextRawPacketEx();
                } catch (TimeoutException e) {
                    continue;
                }
                Timestamp ts = handle.getTimestamp();
                if (ts != null && ts.toInstant().isBefore(attachedAt)) {
                    continue; // queued before the filter: not a sample
                }
                metrics.packetsRead.increment();
                if (!kernelMode && --skip > 0) {
                    continue;
                }
                skip = nextSkip();
                Integer wire = handle.getOriginalLength();
                refreshStats();
                out.accept(factory.sample(++sequence, entry.samplingRate(), lastPool, drops, frame, frame.length,
                        wire == null ? frame.length : wire));
                metrics.flowSamples.increment();
            }
        } catch (PcapNativeException | EOFException | NotOpenException e) {
            if (running) {
                failure = "capture on " + name + " ended: " + e.getMessage();
                LOG.log(Level.WARNING, "" + failure + "; it is reopened if the interface comes back");
            }
        } catch (RuntimeException e) {
            failure = "capture on " + name + " failed: " + e;
            LOG.log(Level.ERROR, "" + failure, e);
        } finally {
            handle.close();
            poolCounter.close();
            metrics.closed(name);
        }
    }

    /** User-space fallback: skip a uniform 1..2N-1 packets, mean N, as sFlow agents commonly do. */
    private long nextSkip() {
        int n = entry.samplingRate();
        return n <= 1 ? 1 : 1 + random.nextLong(2L * n - 1);
    }

    /** sample_pool from the interface's real packet counters; drops from pcap's cumulative ps_drop. */
    private void refreshStats() {
        long now = System.nanoTime();
        if (now - poolAt >= POOL_EVERY_NANOS || poolAt == 0) {
            poolAt = now;
            long p = poolCounter.packets();
            if (p >= 0) {
                lastPool = Math.max(lastPool, p - poolBase);
            }
        }
        if (now - dropsAt >= DROPS_EVERY_NANOS || dropsAt == 0) {
            dropsAt = now;
            try {
                drops = Math.max(drops, handle.getStats().getNumPacketsDropped());
            } catch (PcapNativeException | NotOpenException e) {
                // keep the last known count
            }
        }
    }

    /** Stops the thread (at most one read timeout later) and closes the capture. */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(Duration.ofMillis(READ_TIMEOUT_MS * 10L).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (handle != null) {
            handle.close();
        }
    }
}

package tailflow.agent.sflow;

import com.sun.jna.Pointer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import tailflow.agent.sflow.record.FlowSample;

/**
 * Samples one interface on its own thread: pcap4j opens the capture, {@link PcapReader} reads it. The
 * 1-in-N decision is made in the kernel ({@link SocketFilter}); when that is refused the thread samples
 * in user space (random skip with mean N) and says so in the log and the sampling-mode metric. Samples
 * come up in TPACKET_V3 blocks ({@link #blockMillis()}), not one wake-up each.
 *
 * <p>Packets that were queued in the capture ring between pcap's activation and the filter's attach
 * were not sampled: they are told apart by their kernel timestamp (earlier than the attach) and
 * ignored. libpcap only ever touches the socket filter in pcap_setfilter, which we never call; the
 * filter is re-checked with SO_GET_FILTER on every counter poll ({@link #verifyFilter()}).
 */
public final class PacketSampler implements AutoCloseable {
    private static final Logger LOG = System.getLogger("tailflow.agent.sflow");
    /** In immediate mode: how long a read waits before checking whether to stop. */
    static final int READ_TIMEOUT_MS = 200;
    /**
     * The default TPACKET_V3 block timeout: samples reach user space in batches at least this often
     * instead of one wake-up each. Datagrams leave at most every 500 ms anyway, and the pipeline's flush
     * deadline is shortened by this much, so a sample still leaves within 500 ms of its packet.
     */
    public static final int DEFAULT_BLOCK_MILLIS = 100;
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
    private PcapReader reader;
    /** Guards the pcap_t between the capture thread's close and {@link #close()}'s breakloop. */
    private final Object captureLock = new Object();
    private boolean captureClosed;
    private int fd = -1;
    private Thread thread;
    private long attachedAtMicros;
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
        handle = new PcapHandle.Builder(name)
                .snaplen(snaplen)
                .promiscuousMode(entry.promiscuous() ? PromiscuousMode.PROMISCUOUS : PromiscuousMode.NONPROMISCUOUS)
                .immediateMode(blockMillis() <= 0)
                .timeoutMillis(blockMillis() > 0 ? blockMillis() : READ_TIMEOUT_MS)
                .build();
        Pointer pcap;
        try {
            pcap = pcapPointer(handle);
        } catch (ReflectiveOperationException e) {
            handle.close();
            throw new PcapNativeException("this pcap4j hides its pcap_t: " + e);
        }
        reader = new PcapReader(pcap, snaplen);
        int rate = entry.samplingRate();
        String why = forceUserSpace ? "user-space sampling requested" : null;
        if (!forceUserSpace) {
            try {
                fd = libpcap.fileno(pcap);
                socketFilter.attach(fd, rate, snaplen);
                kernelMode = true;
            } catch (RuntimeException e) {
                why = e.getMessage();
            }
        }
        attachedAtMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        try {
            poolCounter = new PacketCounter(sysRoot, name, entry.iface().loopback());
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

    /**
     * libpcap's TPACKET_V3 block timeout in ms (default {@value #DEFAULT_BLOCK_MILLIS}): one wake-up per
     * block of samples instead of one per sample (at 1000 samples/s: 7.9 % of a core down to 2.0 %,
     * sflow bench). {@code -Dtailflow.sflow.bufferMillis=0} reads each sample when the kernel accepts it
     * (immediate mode, as hsflowd does).
     */
    public static int blockMillis() {
        return Math.max(0, Integer.getInteger("tailflow.sflow.bufferMillis", DEFAULT_BLOCK_MILLIS));
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
                int rc = reader.next();
                if (rc == PcapReader.TIMEOUT) {
                    continue;
                }
                if (rc != PcapReader.PACKET) {
                    if (running) {
                        failure = "capture on " + name + " ended: "
                                + (rc == PcapReader.ERROR ? reader.error() : "pcap_next_ex returned " + rc);
                        LOG.log(Level.WARNING, "" + failure + "; it is reopened if the interface comes back");
                    }
                    break;
                }
                if (reader.micros() < attachedAtMicros) {
                    continue; // queued before the filter: not a sample
                }
                metrics.packetsRead.increment();
                if (!kernelMode && --skip > 0) {
                    continue;
                }
                skip = nextSkip();
                refreshStats();
                out.accept(factory.sample(++sequence, entry.samplingRate(), lastPool, drops, reader.frame(),
                        reader.caplen(), reader.wireLength()));
                metrics.flowSamples.increment();
            }
        } catch (RuntimeException e) {
            failure = "capture on " + name + " failed: " + e;
            LOG.log(Level.ERROR, "" + failure, e);
        } finally {
            synchronized (captureLock) {
                captureClosed = true;
                handle.close();
            }
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

    /** Stops the thread (pcap_breakloop wakes its read) and closes the capture. */
    @Override
    public void close() {
        running = false;
        synchronized (captureLock) {
            if (reader != null && !captureClosed) {
                reader.breakLoop();
            }
        }
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

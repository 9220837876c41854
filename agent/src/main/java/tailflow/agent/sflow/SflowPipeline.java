package tailflow.agent.sflow;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tailflow.agent.component.ComponentContext;
import tailflow.agent.component.Component;
import tailflow.agent.config.AgentConfig;
import tailflow.agent.config.SflowConfig;
import tailflow.agent.sflow.record.CounterRecord;
import tailflow.agent.sflow.record.CounterSample;
import tailflow.agent.sflow.record.PortName;

/**
 * The sFlow pipeline: scans interfaces (new ones are sampled from the next scan, vanished ones closed),
 * samples packets, polls interface and host counters every {@code polling} seconds from a jittered
 * start, and sends each datagram when full or one flush interval after its first sample. Failures of parts (no libpcap, no CAP_NET_RAW,
 * an interface that goes away, a collector that does not resolve) are logged and leave the rest
 * running, the log pipeline included.
 */
public final class SflowPipeline implements Component {
    private static final Logger LOG = System.getLogger("tailflow.agent.sflow");

    /**
     * Where and how often: the roots are "/" and "/sys" on a host and fixture trees in tests.
     *
     * @param userSpaceSampling skip the kernel filter (benchmark baseline, or a kernel without it)
     */
    public record Settings(Path root, Path sysRoot, Duration scanInterval, Duration flushInterval,
            boolean userSpaceSampling, CollectorSender.Resolver resolver) {
        /** The host's roots; {@code -Dtailflow.sflow.userSpaceSampling=true} forces the fallback (benchmark baseline). */
        public static Settings defaults() {
            return new Settings(Path.of("/"), Path.of("/sys"), Duration.ofSeconds(10), Duration.ofMillis(500),
                    Boolean.getBoolean("tailflow.sflow.userSpaceSampling"), InetAddress::getByName);
        }
    }

    private final SflowConfig config;
    private final Settings settings;
    private final SflowMetrics metrics;
    private final InterfaceScanner scanner;
    private final InterfaceCounters interfaceCounters;
    private final HostCounters hostCounters;
    private final Map<String, PacketSampler> samplers = new LinkedHashMap<>();
    private final Map<Integer, Long> counterSequence = new HashMap<>();
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean flushArmed = new AtomicBoolean();
    private ScheduledExecutorService scheduler;
    private CollectorSender sender;
    private DatagramAssembler assembler;
    private Optional<Libpcap> libpcap = Optional.empty();
    private SocketFilter socketFilter;
    private FlowSampleFactory.TcpLookup tcp = FlowSampleFactory.TcpLookup.NONE;
    private Optional<TcpDiag> tcpDiag = Optional.empty();
    private List<NetInterface> interfaces = List.of();
    /** Interface names and states at the last full scan ({@link InterfaceScanner#fingerprint}). */
    private String scannedFingerprint = "";
    private int scansSinceFull;
    private final Map<String, String> openFailures = new HashMap<>();
    /** Set by stop(): a scan or poll that was waiting for the lock must not reopen captures. */
    private volatile boolean stopped;

    public SflowPipeline(SflowConfig config, Settings settings, SflowMetrics metrics) {
        this.config = config;
        this.settings = settings;
        this.metrics = metrics;
        this.scanner = new InterfaceScanner(settings.sysRoot(), InterfaceScanner.AddressSource.system());
        this.interfaceCounters = new InterfaceCounters(settings.sysRoot());
        this.hostCounters = new HostCounters(settings.root(), System.getProperty("os.arch"));
    }

    /** The runtime's factory: present when the config has an {@code sflow} block. */
    public static Optional<Component> create(AgentConfig config, ComponentContext context) {
        return config.sflow().map(s -> new SflowPipeline(s, Settings.defaults(), new SflowMetrics(context.metrics())));
    }

    @Override
    public String name() {
        return "sflow";
    }

    @Override
    public synchronized void start() throws IOException {
        scannedFingerprint = scanner.fingerprint();
        interfaces = scanner.scan();
        InetAddress agent = AgentAddress.choose(config, interfaces).map(AgentAddress::address)
                .orElse(InetAddress.getLoopbackAddress());
        sender = new CollectorSender(config.collectors(), settings.resolver(), metrics);
        assembler = new DatagramAssembler(agent, 0, config.datagramBytes(), this::uptimeMillis, sender, metrics,
                this::armFlush);
        String[] why = new String[1];
        libpcap = Libpcap.load(why);
        if (libpcap.isEmpty()) {
            LOG.log(Level.ERROR, "" + why[0]);
        } else {
            socketFilter = new SocketFilter();
            if (config.tcp()) {
                tcpDiag = TcpDiag.open();
                tcp = tcpDiag.<FlowSampleFactory.TcpLookup>map(d -> d::lookup).orElse(FlowSampleFactory.TcpLookup.NONE);
            }
        }
        LOG.log(Level.INFO, "agent address " + agent.getHostAddress() + ", collectors " + config.collectors());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sflow-scheduler");
            t.setDaemon(true);
            return t;
        });
        applyPlan();
        long scanMs = settings.scanInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::rescan, scanMs, scanMs, TimeUnit.MILLISECONDS);
        long pollMs = config.pollingSeconds() * 1000L;
        long jitter = new SplittableRandom().nextLong(Math.max(1, pollMs));
        scheduler.scheduleAtFixedRate(this::pollCounters, jitter, pollMs, TimeUnit.MILLISECONDS);
    }

    /**
     * A datagram got its first sample: it leaves when full or at this deadline, whichever is first. The
     * deadline is the flush interval less the capture's block timeout (the sample may have waited that
     * long in the kernel) and a tenth for a busy machine's scheduling delays, so a sample leaves within
     * one flush interval of its packet (sflow bench on a veth: burst to collector at most 420 ms, 518 ms
     * without the tenth); an idle agent has no flush timer waking it.
     */
    private void armFlush() {
        if (!flushArmed.compareAndSet(false, true)) {
            return;
        }
        long flushMs = settings.flushInterval().toMillis();
        long delayMs = Math.max(flushMs / 5, flushMs - PacketSampler.blockMillis() - flushMs / 10);
        try {
            scheduler.schedule(() -> {
                flushArmed.set(false);
                assembler.flush();
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            flushArmed.set(false); // stopping: stop() sends what is left
        }
    }

    private long uptimeMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000L;
    }

    /**
     * Every scan interval (10 s) the interface names and states are compared with the last full scan;
     * a full scan (speeds, MACs, addresses, the agent address) runs when they differ and at least
     * every this many intervals (a minute; hsflowd refreshes its interface list every 180 s). The full
     * scan every 10 s was most of an idle agent's sflow CPU (src-test/bench/idle, /work/notes/idle.md).
     */
    static final int FULL_SCAN_EVERY = 6;

    private void rescan() {
        try {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                String fingerprint = scanner.fingerprint();
                if (!fingerprint.equals(scannedFingerprint) || ++scansSinceFull >= FULL_SCAN_EVERY) {
                    interfaces = scanner.scan();
                    scannedFingerprint = fingerprint;
                    scansSinceFull = 0;
                    AgentAddress.choose(config, interfaces).ifPresent(a -> {
                        if (!a.address().equals(assembler.agent())) {
                            LOG.log(Level.INFO, "agent address now " + a.address().getHostAddress() + " (" + a.why() + ")");
                            assembler.setAgent(a.address());
                        }
                    });
                }
                applyPlan(); // also retries captures that failed to open
            }
            sender.resolvePending();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "interface scan failed: " + e);
        }
    }

    /** Opens samplers for newly selected interfaces, closes those gone, changed or dead. */
    private synchronized void applyPlan() {
        if (libpcap.isEmpty() || stopped) {
            return;
        }
        SamplingPlan plan = SamplingPlan.resolve(config, interfaces);
        for (var it = samplers.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            PacketSampler s = e.getValue();
            Optional<SamplingPlan.Entry> now = plan.find(e.getKey());
            boolean same = now.isPresent() && now.get().iface().ifIndex() == s.entry().iface().ifIndex()
                    && now.get().samplingRate() == s.entry().samplingRate()
                    && now.get().iface().mac().equals(s.entry().iface().mac());
            if (!same || !s.alive()) {
                LOG.log(Level.INFO, "closing capture on " + e.getKey()
                        + (now.isEmpty() ? " (interface gone or no longer selected)" : s.alive() ? " (changed)" : ""));
                s.close();
                it.remove();
            }
        }
        for (SamplingPlan.Entry entry : plan.entries()) {
            String name = entry.iface().name();
            if (samplers.containsKey(name) || !entry.iface().adminUp()) {
                continue; // libpcap cannot open a down interface; it is opened on the scan after it comes up
            }
            PacketSampler s = new PacketSampler(entry, config.headerBytes(), libpcap.get(), socketFilter,
                    settings.sysRoot(), tcp, assembler::add, metrics, settings.userSpaceSampling());
            try {
                s.start();
                samplers.put(name, s);
                openFailures.remove(name);
            } catch (Exception | LinkageError e) {
                String msg = e.getMessage();
                if (!msg.equals(openFailures.put(name, msg))) {
                    boolean permission = msg != null && (msg.contains("permitted") || msg.contains("ermission"));
                    LOG.log(Level.ERROR, "cannot capture on " + name + ": " + msg
                            + (permission ? " (capturing needs root or CAP_NET_RAW; promiscuous mode CAP_NET_ADMIN)" : "")
                            + "; retried every scan, counters and logs keep running");
                }
            }
        }
    }

    /** One counters sample per non-loopback interface, one for the host (2:1). */
    private void pollCounters() {
        if (stopped) {
            return;
        }
        try {
            List<NetInterface> now;
            synchronized (this) {
                now = interfaces;
                samplers.values().forEach(PacketSampler::verifyFilter);
            }
            for (NetInterface i : now) {
                if (i.loopback()) {
                    continue;
                }
                List<CounterRecord> recs = List.of(interfaceCounters.generic(i), new PortName(i.name()));
                assembler.add(new CounterSample(nextCounterSeq(i.ifIndex()), CounterSample.DS_INTERFACE, i.ifIndex(), recs));
                metrics.counterSamples.increment();
            }
            // The host sample travels in its own datagram: decoders that do not know 2000-2006 (tshark 4.0)
            // then still read the interface counters whole.
            assembler.flush();
            assembler.add(new CounterSample(nextCounterSeq(-1), CounterSample.DS_HOST, 1, hostCounters.read(now)));
            metrics.counterSamples.increment();
            assembler.flush();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "counter poll failed: " + e);
        }
    }

    private synchronized long nextCounterSeq(int dsIndex) {
        return counterSequence.merge(dsIndex, 1L, Long::sum);
    }

    /** Interfaces being sampled and where their 1-in-N decision is made. */
    public Map<String, String> samplingModes() {
        return metrics.samplingModes();
    }

    @Override
    public void stop(Duration timeout) throws IOException {
        stopped = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                // a poll or flush in progress finishes before the socket closes under it
                scheduler.awaitTermination(Math.min(1000, timeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<PacketSampler> all;
        synchronized (this) {
            all = new ArrayList<>(samplers.values());
            samplers.clear();
        }
        all.forEach(PacketSampler::close);
        if (assembler != null) {
            assembler.flush();
        }
        if (sender != null) {
            sender.close();
        }
        tcpDiag.ifPresent(TcpDiag::close);
    }
}

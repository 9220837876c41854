package tailflow.agent.sflow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tailflow.agent.config.SflowConfig;
import tailflow.agent.config.SflowConfig.PcapSource;

/**
 * Which interfaces to sample and at which 1-in-N rate, chosen as hsflowd does:
 * a {@code pcap { }} block selects interfaces by name ({@code dev=eth0}) or by known link speed
 * ({@code speed=1G-10G}; unknown speeds never match); the first block that selects an interface wins.
 * The rate is the block's own {@code sampling=N}; else {@code sampling.<speed>} for the exact link
 * speed; else link speed / 1 Mb/s, at least 100; plain {@code sampling} when the speed is unknown.
 *
 * @param missingDevices {@code dev=} names with no such interface now (picked up when they appear)
 */
public record SamplingPlan(List<Entry> entries, List<String> missingDevices) {

    /** Rate used per Mb/s of link speed, and its floor (hsflowd's one sample per Mb/s, at least 1-in-100). */
    static final long BITS_PER_SAMPLE_STEP = 1_000_000L;
    static final int MIN_SPEED_RATE = 100;

    public SamplingPlan {
        entries = List.copyOf(entries);
        missingDevices = List.copyOf(missingDevices);
    }

    /** One sampled interface: its rate, promiscuity, and a human-readable reason for the rate. */
    public record Entry(NetInterface iface, int samplingRate, boolean promiscuous, String why) {}

    public static SamplingPlan resolve(SflowConfig config, List<NetInterface> interfaces) {
        List<Entry> entries = new ArrayList<>();
        Set<String> taken = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (PcapSource pcap : config.pcaps()) {
            if (pcap.dev().isPresent() && interfaces.stream().noneMatch(i -> i.name().equals(pcap.dev().get()))) {
                missing.add(pcap.dev().get());
            }
            for (NetInterface iface : interfaces) {
                if (!taken.contains(iface.name()) && selects(pcap, iface)) {
                    taken.add(iface.name());
                    entries.add(entry(config, pcap, iface));
                }
            }
        }
        return new SamplingPlan(entries, missing);
    }

    public Optional<Entry> find(String ifName) {
        return entries.stream().filter(e -> e.iface().name().equals(ifName)).findFirst();
    }

    static boolean selects(PcapSource pcap, NetInterface iface) {
        if (pcap.dev().isPresent()) {
            return pcap.dev().get().equals(iface.name());
        }
        return pcap.speed().isPresent() && iface.speedKnown() && pcap.speed().get().contains(iface.speedBps());
    }

    private static Entry entry(SflowConfig config, PcapSource pcap, NetInterface iface) {
        if (pcap.sampling().isPresent()) {
            return new Entry(iface, pcap.sampling().get(), pcap.promiscuous(), "pcap sampling=" + pcap.sampling().get());
        }
        if (iface.speedKnown()) {
            Integer bySpeed = config.samplingBySpeed().get(iface.speedBps());
            String speed = formatSpeed(iface.speedBps());
            if (bySpeed != null) {
                return new Entry(iface, bySpeed, pcap.promiscuous(), "sampling." + speed);
            }
            long n = iface.speedBps() / BITS_PER_SAMPLE_STEP;
            if (n < MIN_SPEED_RATE) {
                return new Entry(iface, MIN_SPEED_RATE, pcap.promiscuous(),
                        "link speed " + speed + " / 1M below the minimum " + MIN_SPEED_RATE);
            }
            return new Entry(iface, (int) Math.min(Integer.MAX_VALUE, n), pcap.promiscuous(), "link speed " + speed + " / 1M");
        }
        return new Entry(iface, config.sampling(), pcap.promiscuous(), "sampling (link speed unknown)");
    }

    /** 10000000000 -> "10G", 100000000 -> "100M", 2500000000 -> "2500M"; as in {@code sampling.<speed>} keys. */
    public static String formatSpeed(long bps) {
        String[] units = {"T", "G", "M", "K"};
        long[] scale = {1_000_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < units.length; i++) {
            if (bps >= scale[i] && bps % scale[i] == 0) {
                return (bps / scale[i]) + units[i];
            }
        }
        return Long.toString(bps);
    }
}

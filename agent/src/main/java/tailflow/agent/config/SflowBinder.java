package tailflow.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an sflow block into {@link SflowConfig}, whether it came from agent.yaml's {@code sflow:}
 * or from hsflowd.conf's {@code sflow { }}: both are trees with hsflowd's key names
 * ({@code collector}/{@code collectors}, {@code headerBytes}/{@code header_bytes} are aliases).
 */
final class SflowBinder {
    private static final String SAMPLING_EXPECTED = "a 1-in-N sampling rate: a whole number, 1 or more";

    private final BindContext ctx;

    SflowBinder(BindContext ctx) {
        this.ctx = ctx;
    }

    SflowConfig bind(Section s) {
        Optional<String> cidr = s.parsed("agent.cidr", "a CIDR like 192.168.0.0/16 or fd00::/8",
                t -> Addresses.isCidr(t.trim()) ? Optional.of(t.trim()) : Optional.empty());
        Optional<String> agent = s.parsed("agent", "an interface name like eth0",
                t -> Addresses.isInterfaceName(t.trim()) ? Optional.of(t.trim()) : Optional.empty());
        Optional<Node.Entry> dnssdEntry = s.entry("DNSSD", "dnssd");
        if (s.parsed(dnssdEntry, "on or off", Section::parseBool).orElse(false)) {
            Node.Entry e = dnssdEntry.orElseThrow();
            ctx.error(e.value().location(), s.keyPath(e.key()),
                    "expected off: DNS-SD collector discovery is not supported, list the collectors instead");
        }
        int polling = s.integer("polling", SflowConfig.DEFAULT_POLLING, 1, 86_400,
                "seconds between counter samples: a whole number from 1 to 86400");
        int sampling = s.integer("sampling", SflowConfig.DEFAULT_SAMPLING, 1, Integer.MAX_VALUE, SAMPLING_EXPECTED);
        int headerBytes = s.integer(s.entry("header_bytes", "headerBytes"), 14, 256,
                "bytes of each sampled packet's header to send: 14 to 256").orElse(SflowConfig.DEFAULT_HEADER_BYTES);
        int datagramBytes = s.integer(s.entry("datagram_bytes", "datagramBytes"), 200, 9000,
                "the largest datagram to send in bytes: 200 to 9000").orElse(SflowConfig.DEFAULT_DATAGRAM_BYTES);
        List<SflowConfig.Collector> collectors = collectors(s);
        List<SflowConfig.PcapSource> pcaps = pcaps(s);
        boolean tcp = tcp(s);
        Map<Long, Integer> bySpeed = samplingBySpeed(s);
        s.finish(KnownKeys.SFLOW_UNSUPPORTED);
        return new SflowConfig(cidr, agent, polling, sampling, bySpeed, headerBytes, datagramBytes, collectors, pcaps, tcp);
    }

    private Map<Long, Integer> samplingBySpeed(Section s) {
        Map<Long, Integer> out = new LinkedHashMap<>();
        for (Node.Entry e : s.unread()) {
            if (!e.key().startsWith("sampling.") || KnownKeys.SFLOW_UNSUPPORTED.contains(e.key())) {
                continue;
            }
            s.markRead(e.key());
            if (e.key().startsWith("sampling.app.")) {
                ctx.warn(e.keyLocation(), s.keyPath(e.key()), BindContext.NOT_SUPPORTED);
                continue;
            }
            Optional<Long> speed = Units.speed(e.key().substring("sampling.".length()));
            if (speed.isEmpty() || speed.get() <= 0) {
                ctx.error(e.keyLocation(), s.keyPath(e.key()),
                        "expected sampling.<link speed> like sampling.100M, sampling.1G or sampling.10G");
                continue;
            }
            s.integer(Optional.of(e), 1, Integer.MAX_VALUE, SAMPLING_EXPECTED).ifPresent(n -> out.put(speed.get(), n));
        }
        return out;
    }

    private List<SflowConfig.Collector> collectors(Section s) {
        Optional<Node.Entry> entry = s.entry("collectors", "collector");
        List<SflowConfig.Collector> out = new ArrayList<>();
        List<Node> items = s.list(entry, "- ip: 192.0.2.10\n    udpport: 6343");
        for (int i = 0; i < items.size(); i++) {
            Section c = Section.of(ctx, items.get(i), s.keyPath(entry.get().key()) + "[" + i + "]", "ip: 192.0.2.10, udpport: 6343");
            Optional<String> ip = c.parsed("ip", "a collector address: an IP address or a host name",
                    t -> Addresses.isHost(t.trim()) ? Optional.of(t.trim()) : Optional.empty());
            int port = c.integer("udpport", SflowConfig.DEFAULT_COLLECTOR_PORT, 1, 65_535, "a UDP port from 1 to 65535");
            if (ip.isEmpty() && !c.has("ip")) {
                ctx.error(c.location(), c.keyPath("ip"), "expected the collector's address: ip=192.0.2.10");
            }
            c.finish(KnownKeys.COLLECTOR_UNSUPPORTED);
            ip.ifPresent(host -> out.add(new SflowConfig.Collector(host, port)));
        }
        if (entry.isEmpty() || items.isEmpty()) {
            Node.Location at = entry.map(e -> e.keyLocation()).orElse(s.location());
            ctx.error(at, s.keyPath("collectors"),
                    "expected at least one collector (hsflowd.conf: collector { ip=192.0.2.10 udpport=6343 };"
                    + " agent.yaml: collectors: [{ip: 192.0.2.10, udpport: 6343}])");
        }
        return out;
    }

    private List<SflowConfig.PcapSource> pcaps(Section s) {
        Optional<Node.Entry> entry = s.entry("pcap");
        List<SflowConfig.PcapSource> out = new ArrayList<>();
        List<Node> items = s.list(entry, "- speed: 1-   or   - dev: eth0");
        for (int i = 0; i < items.size(); i++) {
            Section p = Section.of(ctx, items.get(i), s.keyPath("pcap") + "[" + i + "]", "dev: eth0 or speed: 1G-10G");
            Optional<String> dev = p.parsed("dev", "an interface name like eth0",
                    t -> Addresses.isInterfaceName(t.trim()) ? Optional.of(t.trim()) : Optional.empty());
            Optional<SflowConfig.SpeedRange> speed = p.parsed("speed",
                    "a link speed range like 1G-10G, 1- (every speed) or 10G", Units::speedRange);
            Optional<Integer> sampling = p.integer(p.entry("sampling"), 1, Integer.MAX_VALUE, SAMPLING_EXPECTED);
            boolean promiscuous = p.parsed(p.entry("promisc", "promiscuous"), "on or off", Section::parseBool).orElse(false);
            if (p.has("dev") && p.has("speed")) {
                ctx.error(p.location(), p.path(), "expected either dev or speed, not both");
            } else if (!p.has("dev") && !p.has("speed")) {
                ctx.error(p.location(), p.path(), "expected dev=<interface> or speed=<range> (e.g. pcap { speed=1- })");
            }
            p.finish(KnownKeys.PCAP_UNSUPPORTED);
            if (dev.isPresent() || speed.isPresent()) {
                out.add(new SflowConfig.PcapSource(dev, speed, sampling, promiscuous));
            }
        }
        return out;
    }

    /** {@code tcp { }} in hsflowd.conf, {@code tcp: true} (or {@code tcp: {}}) in agent.yaml. */
    private boolean tcp(Section s) {
        Optional<Node.Entry> entry = s.entry("tcp");
        if (entry.isEmpty()) {
            return false;
        }
        Node v = entry.get().value();
        if (v instanceof Node.Mapping) {
            Section.of(ctx, v, s.keyPath("tcp"), "").finish(java.util.Set.copyOf(((Node.Mapping) v).entries().keySet()));
            return true;
        }
        return s.parsed(entry, "true or false (or tcp { } in hsflowd.conf)", Section::parseBool).orElse(false);
    }
}

package tailflow.agent.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code sflow:} block, mirroring hsflowd.conf: agent address selection, polling and sampling
 * rates, collectors and the pcap sources.
 *
 * @param samplingBySpeed {@code sampling.<speed>} entries, keyed by link speed in bits per second
 */
public record SflowConfig(
        Optional<String> agentCidr,
        Optional<String> agentInterface,
        int pollingSeconds,
        int sampling,
        Map<Long, Integer> samplingBySpeed,
        int headerBytes,
        int datagramBytes,
        List<Collector> collectors,
        List<PcapSource> pcaps,
        boolean tcp) {

    public static final int DEFAULT_POLLING = 20;
    public static final int DEFAULT_SAMPLING = 400;
    public static final int DEFAULT_HEADER_BYTES = 128;
    public static final int DEFAULT_DATAGRAM_BYTES = 1400;
    public static final int DEFAULT_COLLECTOR_PORT = 6343;

    public SflowConfig {
        samplingBySpeed = Map.copyOf(samplingBySpeed);
        collectors = List.copyOf(collectors);
        pcaps = List.copyOf(pcaps);
    }

    public record Collector(String host, int udpPort) {}

    /** {@code pcap { dev=eth0 }} or {@code pcap { speed=1G-10G }}, optionally with its own sampling rate. */
    public record PcapSource(Optional<String> dev, Optional<SpeedRange> speed, Optional<Integer> sampling, boolean promiscuous) {}

    /** A link speed range in bits per second, inclusive; {@code max} is Long.MAX_VALUE for "1-". */
    public record SpeedRange(long min, long max) {
        public boolean contains(long bitsPerSecond) {
            return bitsPerSecond >= min && bitsPerSecond <= max;
        }
    }
}

package tailflow.agent.sflow;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the sFlow pipeline, rendered in Prometheus text format for /metrics.
 * {@code tailflow_sflow_sampling_mode{interface,mode}} is 1 for "kernel" (BPF) or "user" (fallback).
 */
public final class SflowMetrics {
    public final LongAdder datagrams = new LongAdder();
    public final LongAdder sendErrors = new LongAdder();
    public final LongAdder flowSamples = new LongAdder();
    public final LongAdder counterSamples = new LongAdder();
    public final LongAdder oversizedSamples = new LongAdder();
    public final LongAdder packetsSeen = new LongAdder();
    private final Map<String, String> samplingMode = new ConcurrentHashMap<>();
    private final Map<String, Long> samplingRate = new ConcurrentHashMap<>();

    public void sampling(String ifName, String mode, int rate) {
        samplingMode.put(ifName, mode);
        samplingRate.put(ifName, (long) rate);
    }

    public void closed(String ifName) {
        samplingMode.remove(ifName);
        samplingRate.remove(ifName);
    }

    /** Current mode per sampled interface: "kernel" or "user". */
    public Map<String, String> samplingModes() {
        return new TreeMap<>(samplingMode);
    }

    public String prometheusText() {
        StringBuilder sb = new StringBuilder();
        counter(sb, "tailflow_sflow_datagrams_total", "sFlow datagrams assembled", datagrams.sum());
        counter(sb, "tailflow_sflow_send_errors_total", "datagram sends that failed (per collector)", sendErrors.sum());
        counter(sb, "tailflow_sflow_flow_samples_total", "flow samples taken", flowSamples.sum());
        counter(sb, "tailflow_sflow_counter_samples_total", "counter samples taken", counterSamples.sum());
        counter(sb, "tailflow_sflow_oversized_samples_total", "samples dropped: larger than a datagram",
                oversizedSamples.sum());
        counter(sb, "tailflow_sflow_packets_seen_total", "packets user space read from pcap", packetsSeen.sum());
        sb.append("# HELP tailflow_sflow_sampling_mode 1 per interface: where the 1-in-N decision is made\n")
                .append("# TYPE tailflow_sflow_sampling_mode gauge\n");
        new TreeMap<>(samplingMode).forEach((i, m) -> sb.append("tailflow_sflow_sampling_mode{interface=\"").append(i)
                .append("\",mode=\"").append(m).append("\"} 1\n"));
        sb.append("# TYPE tailflow_sflow_sampling_rate gauge\n");
        new TreeMap<>(samplingRate).forEach((i, r) -> sb.append("tailflow_sflow_sampling_rate{interface=\"").append(i)
                .append("\"} ").append(r).append('\n'));
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(v).append('\n');
    }
}

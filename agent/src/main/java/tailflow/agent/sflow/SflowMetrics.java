package tailflow.agent.sflow;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import tailflow.agent.ops.metrics.Metrics;

/**
 * The sFlow pipeline's metrics, registered in the runtime's registry so they appear on /metrics.
 * {@code tailflow_sflow_sampling_mode{interface,mode}} is 1 with mode "kernel" (BPF does the 1-in-N)
 * or "user" (the kernel refused the filter; every packet reaches user space).
 */
public final class SflowMetrics {
    public final LongAdder datagrams;
    public final LongAdder sendErrors;
    public final LongAdder flowSamples;
    public final LongAdder counterSamples;
    public final LongAdder oversizedSamples;
    public final LongAdder packetsRead;
    private final Metrics.Gauge mode;
    private final Metrics.Gauge rate;
    private final Map<String, String> modes = new ConcurrentHashMap<>();

    public SflowMetrics(Metrics registry) {
        datagrams = registry.counter("tailflow_sflow_datagrams_total", "sFlow datagrams sent").labels();
        sendErrors = registry.counter("tailflow_sflow_send_errors_total",
                "datagram sends that failed, per collector try").labels();
        flowSamples = registry.counter("tailflow_sflow_flow_samples_total", "flow samples taken").labels();
        counterSamples = registry.counter("tailflow_sflow_counter_samples_total", "counter samples taken").labels();
        oversizedSamples = registry.counter("tailflow_sflow_oversized_samples_total",
                "samples dropped because they do not fit in one datagram").labels();
        packetsRead = registry.counter("tailflow_sflow_packets_read_total",
                "packets that reached user space from pcap (after the kernel's 1-in-N in kernel mode)").labels();
        mode = registry.gauge("tailflow_sflow_sampling_mode",
                "1 per sampled interface; mode kernel = BPF random 1-in-N, user = user-space fallback",
                "interface", "mode");
        rate = registry.gauge("tailflow_sflow_sampling_rate", "1-in-N sampling rate per interface", "interface");
    }

    public void sampling(String ifName, String how, int n) {
        String old = modes.put(ifName, how);
        if (old != null && !old.equals(how)) {
            mode.remove(ifName, old);
        }
        mode.set(1, ifName, how);
        rate.set(n, ifName);
    }

    public void closed(String ifName) {
        String old = modes.remove(ifName);
        if (old != null) {
            mode.remove(ifName, old);
        }
        rate.remove(ifName);
    }

    /** Current mode per sampled interface: "kernel" or "user". */
    public Map<String, String> samplingModes() {
        return new TreeMap<>(modes);
    }
}

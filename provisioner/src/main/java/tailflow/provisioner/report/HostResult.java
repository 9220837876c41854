package tailflow.provisioner.report;

import java.util.List;
import java.util.Map;

/**
 * Everything a run learned and did on one host, for the recap and {@code --json}.
 *
 * @param facts   a short summary (arch, os, java, release, unit state), empty when unreachable
 * @param journal the agent's last journal lines when verification failed
 * @param timings milliseconds per phase that ran (connect, facts, upload, unpack, install, restart, verify), in that order
 */
public record HostResult(String host, HostStatus status, String message, Map<String, String> facts,
                         List<StepResult> steps, List<String> warnings, List<String> journal, long millis,
                         Map<String, Long> timings) {

    public HostResult {
        facts = Map.copyOf(facts);
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
        journal = List.copyOf(journal);
        timings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timings));
    }

    /** A result without phase timings (queries, skipped hosts). */
    public HostResult(String host, HostStatus status, String message, Map<String, String> facts,
                      List<StepResult> steps, List<String> warnings, List<String> journal, long millis) {
        this(host, status, message, facts, steps, warnings, journal, millis, Map.of());
    }

    public long changedCount() {
        return steps.stream().filter(s -> s.outcome().equals("changed")).count();
    }
}

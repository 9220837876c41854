package tailflow.provisioner.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tailflow.provisioner.report.HostResult;
import tailflow.provisioner.report.HostStatus;
import tailflow.provisioner.report.StepResult;

/** What is known about one host so far; becomes its {@link HostResult}. Confined to the host's thread. */
final class HostOutcome {

    final String host;
    HostStatus status = HostStatus.OK;
    /** Where the run is, for naming an unexpected failure. */
    String phase = "connect";
    String message = "";
    Map<String, String> facts = new LinkedHashMap<>();
    final List<StepResult> steps = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<String> journal = new ArrayList<>();

    HostOutcome(String host) {
        this.host = host;
    }

    void fail(String why) {
        status = HostStatus.FAILED;
        message = why;
    }

    void changed(String why) {
        status = HostStatus.CHANGED;
        message = why;
    }

    HostResult result(long millis, Map<String, Long> timings) {
        return new HostResult(host, status, message, facts, steps, warnings, journal, millis, timings);
    }
}

package tailflow.provisioner.remote;

import java.util.ArrayList;
import java.util.List;
import tailflow.provisioner.ssh.ExecResult;

/** The verify script's answer: ready, or why not with the agent's last journal lines. */
public record VerifyReport(boolean ready, String detail, List<String> journal) {

    public VerifyReport {
        journal = List.copyOf(journal);
    }

    public static VerifyReport of(ExecResult r) {
        boolean ready = false;
        String why = null;
        List<String> journal = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            var marker = Marker.parse(line);
            if (marker.isEmpty()) {
                continue;
            }
            if (marker.get() instanceof Marker.Ready) {
                ready = true;
            } else if (marker.get() instanceof Marker.NotReady n) {
                why = n.why();
            } else if (marker.get() instanceof Marker.JournalLine j) {
                journal.add(j.line());
            } else {
                throw new IllegalArgumentException("the verify script does not print " + line);
            }
        }
        if (ready && r.ok()) {
            return agentReady();
        }
        return new VerifyReport(false, why != null ? why : "verify exited " + r.exitCode() + ": " + r.stderr().strip(), journal);
    }

    static VerifyReport agentReady() {
        return new VerifyReport(true, "unit active, /ready answered 200", List.of());
    }
}

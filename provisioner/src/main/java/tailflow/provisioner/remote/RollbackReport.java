package tailflow.provisioner.remote;

import tailflow.provisioner.ssh.ExecResult;

/** The rollback script's answer. {@link #summary()} is the few words a failure message ends with. */
public record RollbackReport(Outcome outcome, String detail) {

    public enum Outcome { ROLLED_BACK, STOPPED, FAILED }

    public static RollbackReport of(ExecResult r) {
        for (String line : r.stdout().lines().toList()) {
            var marker = Marker.parse(line);
            if (marker.isEmpty()) {
                continue;
            }
            if (marker.get() instanceof Marker.RolledBack b) {
                return new RollbackReport(Outcome.ROLLED_BACK, b.release());
            } else if (marker.get() instanceof Marker.Stopped s) {
                return new RollbackReport(Outcome.STOPPED, s.why());
            } else if (marker.get() instanceof Marker.RollbackFailed f) {
                return new RollbackReport(Outcome.FAILED, (f.why() + " " + r.stderr().strip()).strip());
            }
            throw new IllegalArgumentException("the rollback script does not print " + line);
        }
        return new RollbackReport(Outcome.FAILED, ("rollback exit " + r.exitCode() + " " + r.stderr().strip()).strip());
    }

    public boolean ok() {
        return outcome != Outcome.FAILED;
    }

    public String summary() {
        return switch (outcome) {
            case ROLLED_BACK -> "rolled back to " + detail;
            case STOPPED -> "agent stopped (" + detail + ")";
            case FAILED -> "ROLLBACK FAILED: " + detail;
        };
    }
}

package tailflow.provisioner.apply;

import tailflow.provisioner.facts.HostFacts;
import tailflow.provisioner.plan.Step;
import tailflow.provisioner.remote.RollbackReport;
import tailflow.provisioner.report.Progress;

/** The lines an apply prints per host as it goes, worded in one place. */
final class ApplyProgress {

    private final Progress out;

    ApplyProgress(Progress out) {
        this.out = out;
    }

    /** The phase a host is in now, for the live view (plain output prints nothing for it). */
    void phase(String host, String phase) {
        out.phase(host, phase);
    }

    void facts(String host, HostFacts f) {
        out.line(host, "facts", "ok", f.arch() + ", " + f.osId() + " " + f.osVersion() + ", java " + f.javaDescription()
                + ", release " + f.installedRelease().orElse("none") + ", unit " + f.unit("ActiveState"));
    }

    void warning(String host, String warning) {
        out.line(host, "warning", warning, "");
    }

    void nothingToChange(String host) {
        out.line(host, "plan", "ok", "nothing to change");
    }

    void wouldChange(String host, Step step) {
        out.line(host, step.kind().label(), "would change", step.reason());
    }

    void diff(String text) {
        out.block(text);
    }

    void changed(String host, Step step) {
        out.line(host, step.kind().label(), "changed", step.reason());
    }

    void failed(String host, String phase, String why) {
        out.line(host, phase, "FAILED", why);
    }

    void unreachable(String host, String why) {
        out.line(host, "connect", "UNREACHABLE", why);
    }

    void journal(String host, Iterable<String> lines) {
        lines.forEach(j -> out.line(host, "journal", j, ""));
    }

    void verified(String host, String detail) {
        out.line(host, "verify", "ok", detail);
    }

    void rollback(String host, RollbackReport r) {
        out.line(host, "rollback", r.ok() ? "ok" : "FAILED", r.summary());
    }
}

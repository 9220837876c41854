package tailflow.provisioner.install;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.facts.HostFacts;
import tailflow.provisioner.plan.DesiredState;
import tailflow.provisioner.plan.HostPlan;
import tailflow.provisioner.plan.Planner;
import tailflow.provisioner.plan.StepKind;

/**
 * How a release gets onto a host and becomes the running one: the part of an apply that differs
 * between a tarball release (unpacked side by side, switched by a symlink) and a distribution
 * package. Each method returns a fragment of the apply (or rollback, or cleanup) sh script; it
 * runs after {@code remote.Shell}'s prelude, so the payload is on fd 3 and {@code step}/{@code fail}
 * report progress.
 */
public interface InstallMethod {

    /** As named on the command line and in messages. */
    String name();

    /** The RELEASE step: read {@link Bundle#size()} bytes from fd 3, check them, put the release in place. */
    String installRelease(Bundle bundle);

    /** The SWITCH step: make {@code releaseId} the one the unit starts. */
    String switchTo(String releaseId);

    /** During rollback: make {@code releaseId} the running one again (the unit is restarted after). */
    String switchBack(String releaseId);

    /** After a verified apply: remove releases other than {@code keep} and {@code previous}. */
    String prune(String keep, String previous);

    /** Where the provisioner writes the unit, or empty when the method's package ships it. */
    Optional<String> unitFile();

    /** The plan for a host this method installs on (a tarball release by default). */
    default HostPlan plan(String host, HostFacts facts, DesiredState want, InstallLayout layout, String unitFile) {
        return Planner.plan(host, facts, want, layout, unitFile);
    }

    /** The file streamed to the host when the plan has a RELEASE step. */
    default Path payload(Bundle bundle) {
        return bundle.file();
    }

    /** The RESTART step for {@code unit}. */
    default String restart(String unit) {
        return "systemctl restart " + unit + " 2>&1 || fail restart \"systemctl restart failed\"\nstep restart\n";
    }

    /** During rollback, when there was a release before: put it back (the unit is restarted after). */
    default String restoreRelease(HostPlan plan, Set<StepKind> done) {
        String previous = plan.previousRelease().orElseThrow();
        return done.contains(StepKind.SWITCH) && !previous.equals(plan.release()) ? switchBack(previous) : "";
    }

    /** During rollback, when there was no release before: leave the host without a running agent; prints {@code @@stopped}. */
    default String undoFirstInstall(String unit) {
        return "systemctl stop " + unit + " 2>&1; echo \"@@stopped no previous release to return to\"\n";
    }
}

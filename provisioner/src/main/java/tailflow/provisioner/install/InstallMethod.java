package tailflow.provisioner.install;

import java.util.Optional;
import tailflow.provisioner.bundle.Bundle;

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
}

package tailflow.provisioner.facts;

import java.util.List;
import java.util.Optional;

/**
 * What dpkg says about the agent's package on a host (all empty where there is no dpkg).
 *
 * @param dpkg         the host has dpkg (a {@code deb} install is possible)
 * @param status       {@code dpkg-query}'s Status of tailflow-agent ({@code install ok installed},
 *                     {@code deinstall ok config-files}, ...), empty when dpkg never heard of it
 * @param version      its Version, when dpkg knows one
 * @param changedFiles files of the installed package whose content {@code dpkg --verify} finds changed
 *                     (conffiles excluded: the provisioner writes the config)
 * @param keptVersion  Version of the .deb the provisioner keeps on the host for a rollback, if any
 * @param keptSha256   that .deb's sha256 ("" when none is kept)
 */
public record PackageFacts(boolean dpkg, String status, Optional<String> version, List<String> changedFiles,
                           Optional<String> keptVersion, String keptSha256) {

    public static final PackageFacts NONE = new PackageFacts(false, "", Optional.empty(), List.of(), Optional.empty(), "");

    public PackageFacts {
        changedFiles = List.copyOf(changedFiles);
    }

    /** Unpacked and configured: what dpkg calls installed. */
    public boolean installed() {
        return status.equals("install ok installed");
    }

    /** Anything of the package but its leftover conffiles is on the host (installed, half-installed, unpacked, ...). */
    public boolean present() {
        return !status.isEmpty() && !status.endsWith(" not-installed") && !status.endsWith(" config-files");
    }

    /** The version installed, or the one dpkg is stuck at, for messages and rollback. */
    public Optional<String> presentVersion() {
        return present() ? version : Optional.empty();
    }

    /** The kept .deb is the installed version (so a rollback can reinstall it). */
    public boolean keptMatchesInstalled() {
        return present() && keptVersion.isPresent() && keptVersion.equals(version);
    }
}

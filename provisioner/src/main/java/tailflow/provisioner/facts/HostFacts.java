package tailflow.provisioner.facts;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one round trip learned about a host.
 *
 * @param javaMajor      major version of {@code java} on PATH, empty when there is none
 * @param currentRelease the release {@code /opt/tailflow/current} points to, if any
 * @param releases       release directories present under /opt/tailflow/releases
 * @param wantedFiles    relative path -> sha256 of every file in the wanted release's directory (empty if absent)
 * @param config         installed agent.yaml, with {@code configMode} like {@code "640 root tailflow"}
 * @param userGroups     groups of the service account ({@code id -nG}), empty when it does not exist
 * @param unitState      {@code systemctl show} properties of tailflow-agent.service
 * @param pkg            what dpkg knows of the agent's Debian package
 */
public record HostFacts(
        String arch,
        String hostname,
        String osId,
        String osVersion,
        String osLike,
        Optional<Integer> javaMajor,
        String javaDescription,
        boolean libpcap,
        String packageManager,
        Optional<String> currentRelease,
        List<String> releases,
        Map<String, String> wantedFiles,
        Optional<String> config,
        String configMode,
        Optional<String> unit,
        Optional<String> dropIn,
        boolean userExists,
        List<String> userGroups,
        Map<String, String> unitState,
        PackageFacts pkg) {

    /** Facts of a host without dpkg facts (tests, and hosts seen before they were gathered). */
    public HostFacts(String arch, String hostname, String osId, String osVersion, String osLike, Optional<Integer> javaMajor,
                     String javaDescription, boolean libpcap, String packageManager, Optional<String> currentRelease,
                     List<String> releases, Map<String, String> wantedFiles, Optional<String> config, String configMode,
                     Optional<String> unit, Optional<String> dropIn, boolean userExists, List<String> userGroups,
                     Map<String, String> unitState) {
        this(arch, hostname, osId, osVersion, osLike, javaMajor, javaDescription, libpcap, packageManager, currentRelease,
                releases, wantedFiles, config, configMode, unit, dropIn, userExists, userGroups, unitState, PackageFacts.NONE);
    }

    public HostFacts {
        releases = List.copyOf(releases);
        userGroups = List.copyOf(userGroups);
        wantedFiles = Map.copyOf(wantedFiles);
        unitState = Map.copyOf(unitState);
    }

    public String unit(String property) {
        return unitState.getOrDefault(property, "");
    }

    /** What runs, for people: the tarball release {@code current} points to, else {@code deb:<version>} of the package. */
    public Optional<String> installedRelease() {
        return currentRelease.or(() -> pkg.presentVersion().map(v -> "deb:" + v));
    }

    public boolean unitActive() {
        return unit("ActiveState").equals("active");
    }
}

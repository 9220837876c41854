package tailflow.provisioner.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.bundle.DebPackage;
import tailflow.provisioner.facts.HostFacts;
import tailflow.provisioner.facts.PackageFacts;

/**
 * The plan for a host installed through the agent's Debian package ({@code tailflow_install: deb}).
 * The package brings the files, the unit and (through apt) Java and libpcap; the provisioner adds
 * what is per host: the config (a conffile dpkg keeps, as the install passes {@code --force-confold})
 * and the drop-in. They are written before the package step, so the package's own maintainer
 * scripts start (install) or restart (upgrade) the agent once, already with this host's config.
 *
 * <p>Release ids here are package versions: {@code release} is the payload's, {@code previousRelease}
 * the installed one. Pure, like {@link Planner}.
 */
public final class DebPlanner {

    private DebPlanner() {}

    public static HostPlan plan(String host, HostFacts facts, DesiredState want, InstallLayout layout, DebPackage deb) {
        PackageFacts pkg = facts.pkg();
        Optional<String> previous = pkg.presentVersion();
        String release = deb.version();
        if (!Planner.ARCHITECTURES.contains(facts.arch())) {
            return Planner.refuse(host, "architecture " + facts.arch() + " is not supported (x86_64, aarch64, armv7l)", previous, release);
        }
        if (!pkg.dpkg()) {
            return Planner.refuse(host, "tailflow_install: deb needs dpkg, and this host (" + os(facts)
                    + ") has none; use tailflow_install: tarball for it", previous, release);
        }
        if (facts.currentRelease().isPresent() || facts.unit().isPresent()) {
            return Planner.refuse(host, "the agent is installed from a release tarball here (" + layout.currentLink() + " -> "
                    + facts.currentRelease().orElse("(none)") + ", unit " + layout.adminUnitFile() + "); tailflow_install: deb"
                    + " does not take it over in place: run provisioner uninstall --limit " + host
                    + " first (keeps the positions), or keep tailflow_install: tarball", previous, release);
        }
        boolean apt = facts.packageManager().equals("apt-get");
        List<Step> steps = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (facts.javaMajor().orElse(0) < Planner.MIN_JAVA && !apt) {
            return Planner.refuse(host, "java >= " + Planner.MIN_JAVA + " is required and there is no apt-get to pull the package's"
                    + " Depends (found " + facts.javaMajor().map(v -> "java " + facts.javaDescription()).orElse("no java") + ")",
                    previous, release);
        }
        if (!facts.libpcap() && !apt) {
            warnings.add("libpcap not found and no apt-get to pull it: dpkg will refuse the package (install libpcap0.8)");
        }
        if (pkg.present() && !pkg.keptMatchesInstalled()) {
            warnings.add("no .deb of the installed tailflow-agent " + pkg.version().orElse("?") + " is kept in "
                    + DebPackage.KEPT_DIR + ": a failed apply cannot reinstall it");
        }
        // The config is chowned to the service account's group before the package (whose postinst would create it) is in.
        Planner.userStep(steps, facts, layout);
        Planner.configStep(steps, facts, want, layout);
        Planner.dropInStep(steps, facts, want, layout);
        Planner.daemonReloadStep(steps, facts);
        String why = packageReason(pkg, deb, apt);
        if (why != null) {
            steps.add(Step.of(StepKind.RELEASE, why));
        }
        // postinst enables the unit on a first install; an upgrade keeps an administrator's "disabled".
        if (pkg.installed() && !facts.unit("UnitFileState").equals("enabled")) {
            steps.add(Step.of(StepKind.ENABLE, "unit is " + Planner.orNone(facts.unit("UnitFileState"))));
        }
        Planner.restartStep(steps, facts);
        return new HostPlan(host, steps, warnings, Optional.empty(), previous, release);
    }

    /**
     * Why the package must be installed, or null when the installed one is this build: same
     * version, the kept .deb is byte for byte the payload, and no file of it changed on the host.
     */
    static String packageReason(PackageFacts pkg, DebPackage deb, boolean apt) {
        String how = apt ? "apt-get install" : "dpkg -i";
        String name = deb.name();
        if (!pkg.present()) {
            return name + " " + deb.version() + " not installed (" + how + ")";
        }
        String have = pkg.version().orElse("?");
        if (!pkg.installed()) {
            return name + " " + have + " is " + pkg.status() + " -> " + deb.version() + " (" + how + ")";
        }
        if (!have.equals(deb.version())) {
            return name + " " + have + " -> " + deb.version() + " (" + how + ")";
        }
        if (!pkg.keptMatchesInstalled()) {
            return name + " " + have + " was not installed by the provisioner (no kept .deb): reinstall this build (dpkg -i)";
        }
        if (!pkg.keptSha256().equals(deb.sha256())) {
            return name + " " + have + " installed is another build (sha256 " + abbrev(pkg.keptSha256()) + ", this one "
                    + abbrev(deb.sha256()) + "): reinstall (dpkg -i)";
        }
        List<String> changed = pkg.changedFiles();
        if (!changed.isEmpty()) {
            return name + " " + have + ": " + changed.size() + " file(s) differ from the package ("
                    + String.join(", ", changed.stream().limit(3).toList()) + (changed.size() > 3 ? ", ..." : "") + "): reinstall (dpkg -i)";
        }
        return null;
    }

    private static String abbrev(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static String os(HostFacts facts) {
        String os = (facts.osId() + " " + facts.osVersion()).strip();
        return os.isEmpty() ? "unknown OS" : os;
    }
}

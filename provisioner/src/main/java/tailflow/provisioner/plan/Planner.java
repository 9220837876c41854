package tailflow.provisioner.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.facts.HostFacts;
import tailflow.agent.config.Secrets;

/**
 * Compares what a host has (facts) with what it should have and lists the steps, each with its
 * reason. Pure: no I/O, so {@code --check} is just "plan and print".
 */
public final class Planner {

    public static final Set<String> ARCHITECTURES = Set.of("x86_64", "aarch64", "armv7l");
    public static final int MIN_JAVA = 17;
    private Planner() {}

    /** The plan for the standard layout with the unit where an administrator keeps it. */
    public static HostPlan plan(String host, HostFacts facts, DesiredState want) {
        return plan(host, facts, want, InstallLayout.STANDARD, InstallLayout.STANDARD.adminUnitFile());
    }

    public static HostPlan plan(String host, HostFacts facts, DesiredState want, InstallLayout layout, String unitFile) {
        List<Step> steps = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String release = want.bundle().releaseId();
        Optional<String> previous = facts.currentRelease();
        if (!ARCHITECTURES.contains(facts.arch())) {
            return refuse(host, "architecture " + facts.arch() + " is not supported (x86_64, aarch64, armv7l)", previous, release);
        }
        if (facts.pkg().present()) {
            return refuse(host, "the Debian package " + facts.pkg().version().map(v -> "tailflow-agent " + v).orElse("tailflow-agent")
                    + " is installed: set tailflow_install: deb for this host, or remove the package first"
                    + " (provisioner uninstall --limit " + host + " keeps the positions)", previous, release);
        }
        if (facts.javaMajor().orElse(0) < MIN_JAVA) {
            String found = facts.javaMajor().map(v -> "java " + facts.javaDescription()).orElse("no java");
            if (!want.installJava()) {
                return refuse(host, "java >= " + MIN_JAVA + " is required, found " + found
                        + "; install a headless JRE or rerun with --install-java", previous, release);
            }
            String pkg = javaPackage(facts.packageManager());
            if (pkg == null) {
                return refuse(host, found + " and no apt-get/dnf to install java with", previous, release);
            }
            steps.add(Step.of(StepKind.INSTALL_JAVA, found + "; " + facts.packageManager() + " install " + pkg));
        }
        if (!facts.libpcap()) {
            warnings.add("libpcap not found: the agent ships logs but cannot sample packets (install libpcap0.8)");
        }
        userStep(steps, facts, layout);
        String releaseReason = releaseReason(facts, want);
        if (releaseReason != null) {
            steps.add(Step.of(StepKind.RELEASE, releaseReason));
        }
        configStep(steps, facts, want, layout);
        fileStep(steps, StepKind.UNIT, "unit", unitFile, facts.unit(), want.unit(), false);
        dropInStep(steps, facts, want, layout);
        if (!facts.currentRelease().equals(Optional.of(release))) {
            steps.add(Step.of(StepKind.SWITCH, "current " + facts.currentRelease().orElse("(none)") + " -> " + release));
        }
        daemonReloadStep(steps, facts);
        if (!facts.unit("UnitFileState").equals("enabled")) {
            steps.add(Step.of(StepKind.ENABLE, "unit is " + orNone(facts.unit("UnitFileState"))));
        }
        restartStep(steps, facts);
        return new HostPlan(host, steps, warnings, Optional.empty(), previous, release);
    }

    /** The service account with every supplementary group the unit names. */
    static void userStep(List<Step> steps, HostFacts facts, InstallLayout layout) {
        List<String> missingGroups = layout.supplementaryGroups().stream().filter(g -> !facts.userGroups().contains(g)).toList();
        if (!facts.userExists()) {
            steps.add(Step.of(StepKind.USER, "user " + layout.user() + " missing"));
        } else if (!missingGroups.isEmpty()) {
            steps.add(Step.of(StepKind.USER, "user " + layout.user() + " not in group " + String.join(", ", missingGroups)));
        }
    }

    /** The rendered agent.yaml, 0640 root:tailflow. */
    static void configStep(List<Step> steps, HostFacts facts, DesiredState want, InstallLayout layout) {
        String configMode = "640 root " + layout.group();
        fileStep(steps, StepKind.CONFIG, "config", layout.configFile(), facts.config(), want.config(), true);
        if (facts.config().isPresent() && !facts.configMode().equals(configMode) && !hasStep(steps, StepKind.CONFIG)) {
            steps.add(Step.of(StepKind.CONFIG, "config mode/owner is '" + facts.configMode() + "', want '" + configMode + "'"));
        }
    }

    static void dropInStep(List<Step> steps, HostFacts facts, DesiredState want, InstallLayout layout) {
        if (want.dropIn().isEmpty()) {
            facts.dropIn().ifPresent(d -> steps.add(new Step(StepKind.DROP_IN, "drop-in no longer wanted",
                    Optional.of(UnifiedDiff.diff(layout.dropInFile(), d, "/dev/null", "")))));
        } else {
            fileStep(steps, StepKind.DROP_IN, "drop-in", layout.dropInFile(), facts.dropIn(), want.dropIn(), false);
        }
    }

    static void daemonReloadStep(List<Step> steps, HostFacts facts) {
        boolean unitFilesChanged = hasStep(steps, StepKind.UNIT) || hasStep(steps, StepKind.DROP_IN);
        if (unitFilesChanged || facts.unit("NeedDaemonReload").equals("yes")) {
            steps.add(Step.of(StepKind.DAEMON_RELOAD, unitFilesChanged ? "unit files changed" : "systemd has stale unit files"));
        }
    }

    /** A restart when anything the agent uses changed, or when it is not running. */
    static void restartStep(List<Step> steps, HostFacts facts) {
        List<String> why = new ArrayList<>();
        for (Step s : steps) {
            if (s.kind() != StepKind.ENABLE && s.kind() != StepKind.DAEMON_RELOAD && s.kind() != StepKind.INSTALL_JAVA) {
                why.add(s.kind().label());
            }
        }
        if (!why.isEmpty()) {
            steps.add(Step.of(StepKind.RESTART, String.join(", ", why) + " changed"));
        } else if (!facts.unitActive()) {
            steps.add(Step.of(StepKind.RESTART, "unit is " + orNone(facts.unit("ActiveState")) + ", want active"));
        }
    }

    private static String releaseReason(HostFacts facts, DesiredState want) {
        String release = want.bundle().releaseId();
        if (!facts.releases().contains(release)) {
            return facts.currentRelease().map(c -> "release " + c + " -> " + release).orElse("release " + release + " missing");
        }
        Map<String, String> expected = want.bundle().manifest();
        Set<String> differ = new TreeSet<>();
        expected.forEach((path, sum) -> {
            if (!sum.equals(facts.wantedFiles().get(path))) {
                differ.add(path);
            }
        });
        facts.wantedFiles().keySet().stream().filter(p -> !expected.containsKey(p)).forEach(differ::add);
        if (differ.isEmpty()) {
            return null;
        }
        return "release " + release + ": " + differ.size() + " file(s) differ from the bundle ("
                + String.join(", ", differ.stream().limit(3).toList()) + (differ.size() > 3 ? ", ..." : "") + ")";
    }

    private static void fileStep(List<Step> steps, StepKind kind, String what, String path, Optional<String> have,
                                 String want, boolean mask) {
        if (have.isPresent() && have.get().equals(want)) {
            return;
        }
        String oldText = have.orElse("");
        String reason = have.isEmpty() ? what + " missing"
                : what + " differs: " + UnifiedDiff.changedLines(oldText, want) + " lines";
        String diff = UnifiedDiff.diff(have.isEmpty() ? "/dev/null" : path, mask ? Secrets.maskYamlLines(oldText) : oldText,
                path, mask ? Secrets.maskYamlLines(want) : want);
        steps.add(new Step(kind, reason, Optional.of(diff)));
    }

    static boolean hasStep(List<Step> steps, StepKind kind) {
        return steps.stream().anyMatch(s -> s.kind() == kind);
    }

    static HostPlan refuse(String host, String why, Optional<String> previous, String release) {
        return new HostPlan(host, List.of(), List.of(), Optional.of(why), previous, release);
    }

    static String javaPackage(String packageManager) {
        return switch (packageManager) {
            case "apt-get" -> "openjdk-17-jre-headless";
            case "dnf", "yum" -> "java-17-openjdk-headless";
            default -> null;
        };
    }

    static String orNone(String s) {
        return s.isEmpty() ? "(unknown)" : s;
    }
}

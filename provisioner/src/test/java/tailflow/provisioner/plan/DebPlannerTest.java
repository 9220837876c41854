package tailflow.provisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.bundle.DebPackage;
import tailflow.provisioner.facts.HostFacts;
import tailflow.provisioner.facts.PackageFacts;

/** The deb install method's decisions: install, upgrade, reinstall or nothing, and when it refuses. */
class DebPlannerTest {

    private static final String SHA = "a".repeat(64);
    private static final DebPackage DEB = new DebPackage(Path.of("tailflow-agent_0.2.0_all.deb"), "tailflow-agent", "0.2.0", SHA, 7_000_000);
    private static final Bundle BUNDLE = new Bundle(Path.of("b.tar.gz"), "0.2.0", "0.2.0-abc", "00", 1, Map.of(), "[Unit]\n");
    private static final DesiredState WANT = new DesiredState(BUNDLE, "server:\n  http_listen_port: 9080\n", "[Unit]\n", "", false, 9080);
    private static final PackageFacts CONVERGED_PKG = new PackageFacts(true, "install ok installed", Optional.of("0.2.0"), List.of(),
            Optional.of("0.2.0"), SHA);

    private static HostFacts host(PackageFacts pkg, Optional<Integer> java, String packageManager, Optional<String> config,
                                  Map<String, String> unit) {
        return new HostFacts("x86_64", "h1", "debian", "12", "", java, java.map(String::valueOf).orElse("none"), true, packageManager,
                Optional.empty(), List.of(), Map.of(), config, "640 root tailflow", Optional.empty(), Optional.empty(),
                pkg.present(), pkg.present() ? List.of("tailflow", "adm", "systemd-journal") : List.of(), unit, pkg);
    }

    private static HostFacts converged(PackageFacts pkg) {
        return host(pkg, Optional.of(17), "apt-get", Optional.of(WANT.config()),
                Map.of("ActiveState", "active", "UnitFileState", "enabled", "NeedDaemonReload", "no"));
    }

    private static HostPlan plan(HostFacts f) {
        return DebPlanner.plan("h1", f, WANT, InstallLayout.STANDARD, DEB);
    }

    private static List<String> steps(HostPlan p) {
        return p.steps().stream().map(s -> s.kind().label() + ": " + s.reason()).toList();
    }

    @Test
    void aFreshHostGetsUserAndConfigBeforeThePackageAndNoUnitOrSwitch() {
        PackageFacts none = new PackageFacts(true, "", Optional.empty(), List.of(), Optional.empty(), "");
        HostPlan p = plan(host(none, Optional.empty(), "apt-get", Optional.empty(), Map.of("ActiveState", "inactive")));
        assertThat(p.refusal()).isEmpty();
        assertThat(steps(p)).containsExactly(
                "user: user tailflow missing",
                "config: config missing",
                "release: tailflow-agent 0.2.0 not installed (apt-get install)",
                "restart: user, config, release changed");
        assertThat(p.release()).isEqualTo("0.2.0");
        assertThat(p.previousRelease()).isEmpty();
        assertThat(p.warnings()).as("java and libpcap come with the package's Depends").isEmpty();
    }

    @Test
    void theSameBuildInstalledAndRunningIsANoOp() {
        HostPlan p = plan(converged(CONVERGED_PKG));
        assertThat(p.steps()).isEmpty();
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void aNewerVersionIsAnUpgradeAndTheInstalledOneIsWhatARollbackReturnsTo() {
        PackageFacts older = new PackageFacts(true, "install ok installed", Optional.of("0.1.0"), List.of(), Optional.of("0.1.0"), "b".repeat(64));
        HostPlan p = plan(converged(older));
        assertThat(steps(p)).containsExactly("release: tailflow-agent 0.1.0 -> 0.2.0 (apt-get install)", "restart: release changed");
        assertThat(p.previousRelease()).contains("0.1.0");
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void anotherBuildOfTheSameVersionIsReinstalledWithDpkg() {
        PackageFacts rebuilt = new PackageFacts(true, "install ok installed", Optional.of("0.2.0"), List.of(), Optional.of("0.2.0"), "c".repeat(64));
        assertThat(steps(plan(converged(rebuilt)))).containsExactly(
                "release: tailflow-agent 0.2.0 installed is another build (sha256 cccccccccccc, this one aaaaaaaaaaaa): reinstall (dpkg -i)",
                "restart: release changed");
    }

    @Test
    void changedFilesOfThePackageAreRepaired() {
        PackageFacts tampered = new PackageFacts(true, "install ok installed", Optional.of("0.2.0"),
                List.of("/usr/share/tailflow/lib/agent.jar"), Optional.of("0.2.0"), SHA);
        assertThat(steps(plan(converged(tampered)))).first().asString()
                .isEqualTo("release: tailflow-agent 0.2.0: 1 file(s) differ from the package (/usr/share/tailflow/lib/agent.jar): reinstall (dpkg -i)");
    }

    @Test
    void aPackageInstalledByHandIsTakenOverOnceAndTheMissingRollbackIsAWarning() {
        PackageFacts byHand = new PackageFacts(true, "install ok installed", Optional.of("0.1.0"), List.of(), Optional.empty(), "");
        HostPlan p = plan(converged(byHand));
        assertThat(steps(p)).first().asString().isEqualTo("release: tailflow-agent 0.1.0 -> 0.2.0 (apt-get install)");
        assertThat(p.warnings()).containsExactly(
                "no .deb of the installed tailflow-agent 0.1.0 is kept in /var/cache/tailflow/debs: a failed apply cannot reinstall it");
        PackageFacts sameByHand = new PackageFacts(true, "install ok installed", Optional.of("0.2.0"), List.of(), Optional.empty(), "");
        assertThat(steps(plan(converged(sameByHand)))).first().asString()
                .isEqualTo("release: tailflow-agent 0.2.0 was not installed by the provisioner (no kept .deb): reinstall this build (dpkg -i)");
    }

    @Test
    void aHalfConfiguredPackageIsInstalledAgain() {
        PackageFacts half = new PackageFacts(true, "install ok half-configured", Optional.of("0.2.0"), List.of(), Optional.of("0.2.0"), SHA);
        assertThat(steps(plan(converged(half)))).first().asString()
                .isEqualTo("release: tailflow-agent 0.2.0 is install ok half-configured -> 0.2.0 (apt-get install)");
    }

    @Test
    void aConfigChangeAloneRewritesTheConfigAndRestartsWithoutThePackage() {
        HostFacts f = converged(CONVERGED_PKG);
        HostFacts changed = host(CONVERGED_PKG, f.javaMajor(), "apt-get", Optional.of("server:\n  http_listen_port: 9081\n"), f.unitState());
        assertThat(steps(plan(changed))).containsExactly("config: config differs: 2 lines", "restart: config changed");
    }

    @Test
    void aDisabledUnitIsEnabledAfterThePackageButAFirstInstallLeavesThatToPostinst() {
        HostFacts disabled = host(CONVERGED_PKG, Optional.of(17), "apt-get", Optional.of(WANT.config()),
                Map.of("ActiveState", "active", "UnitFileState", "disabled"));
        assertThat(steps(plan(disabled))).containsExactly("enable: unit is disabled");
    }

    @Test
    void aHostWithoutDpkgIsRefusedNamingItsOs() {
        HostFacts rpm = host(PackageFacts.NONE, Optional.of(17), "dnf", Optional.empty(), Map.of());
        assertThat(plan(rpm).refusal()).contains(
                "tailflow_install: deb needs dpkg, and this host (debian 12) has none; use tailflow_install: tarball for it");
    }

    @Test
    void dpkgWithoutAptGetNeedsJavaAlreadyThere() {
        PackageFacts none = new PackageFacts(true, "", Optional.empty(), List.of(), Optional.empty(), "");
        assertThat(plan(host(none, Optional.empty(), "", Optional.empty(), Map.of())).refusal().orElseThrow())
                .startsWith("java >= 17 is required and there is no apt-get to pull the package's Depends");
        assertThat(steps(plan(host(none, Optional.of(17), "", Optional.empty(), Map.of())))).contains(
                "release: tailflow-agent 0.2.0 not installed (dpkg -i)");
    }

    @Test
    void aTarballInstallIsNotTakenOverAndADebInstallIsNotOverlaidByATarball() {
        HostFacts f = converged(PackageFacts.NONE);
        HostFacts tarball = new HostFacts(f.arch(), f.hostname(), f.osId(), f.osVersion(), f.osLike(), f.javaMajor(), f.javaDescription(),
                true, "apt-get", Optional.of("0.1.0-abc"), List.of("0.1.0-abc"), Map.of(), f.config(), f.configMode(),
                Optional.of("[Unit]\n"), Optional.empty(), true, f.userGroups(), f.unitState(),
                new PackageFacts(true, "", Optional.empty(), List.of(), Optional.empty(), ""));
        assertThat(plan(tarball).refusal().orElseThrow())
                .startsWith("the agent is installed from a release tarball here (/opt/tailflow/current -> 0.1.0-abc")
                .contains("run provisioner uninstall --limit h1 first (keeps the positions)");

        HostFacts debHost = converged(CONVERGED_PKG);
        assertThat(Planner.plan("h1", debHost, WANT).refusal().orElseThrow())
                .isEqualTo("the Debian package tailflow-agent 0.2.0 is installed: set tailflow_install: deb for this host,"
                        + " or remove the package first (provisioner uninstall --limit h1 keeps the positions)");
    }
}

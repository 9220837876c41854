package tailflow.provisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.facts.HostFacts;

class PlannerTest {

    private static final String RELEASE = "0.4.0-abcdef012345";
    private static final Bundle BUNDLE = new Bundle(Path.of("b.tar.gz"), "0.4.0", RELEASE, "00", 1,
            Map.of("bin/agent", "a1", "lib/agent.jar", "j1"), "[Unit]\n");
    private static final DesiredState WANT = new DesiredState(BUNDLE, "server:\n  http_listen_port: 9080\n", "[Unit]\n", "", false, 9080);

    /** A host that already has exactly {@link #WANT}. */
    private static HostFacts converged() {
        return new HostFacts("x86_64", "h1", "debian", "12", "", Optional.of(17), "17.0.9", true, "apt-get",
                Optional.of(RELEASE), List.of(RELEASE), Map.of("bin/agent", "a1", "lib/agent.jar", "j1"),
                Optional.of(WANT.config()), "640 root tailflow", Optional.of("[Unit]\n"), Optional.empty(), true, List.of("tailflow", "adm", "systemd-journal"),
                Map.of("ActiveState", "active", "UnitFileState", "enabled", "NeedDaemonReload", "no"));
    }

    private static List<String> steps(HostPlan p) {
        return p.steps().stream().map(s -> s.kind().label() + ": " + s.reason()).toList();
    }

    @Test
    void aConvergedHostHasAnEmptyPlan() {
        assertThat(Planner.plan("h1", converged(), WANT).steps()).isEmpty();
    }

    @Test
    void aFreshHostGetsEveryStepInOrder() {
        HostFacts fresh = new HostFacts("aarch64", "h1", "debian", "12", "", Optional.of(17), "17", true, "apt-get",
                Optional.empty(), List.of(), Map.of(), Optional.empty(), "", Optional.empty(), Optional.empty(), false, List.of(),
                Map.of("ActiveState", "inactive", "UnitFileState", ""));
        assertThat(steps(Planner.plan("h1", fresh, WANT))).containsExactly(
                "user: user tailflow missing",
                "release: release " + RELEASE + " missing",
                "config: config missing",
                "unit: unit missing",
                "switch: current (none) -> " + RELEASE,
                "daemon-reload: unit files changed",
                "enable: unit is (unknown)",
                "restart: user, release, config, unit, switch changed");
    }

    @Test
    void aConfigChangeOnlyRewritesTheConfigAndRestarts() {
        HostFacts f = converged();
        HostFacts changed = new HostFacts(f.arch(), f.hostname(), f.osId(), f.osVersion(), f.osLike(), f.javaMajor(),
                f.javaDescription(), f.libpcap(), f.packageManager(), f.currentRelease(), f.releases(), f.wantedFiles(),
                Optional.of("server:\n  http_listen_port: 9081\n"), f.configMode(), f.unit(), f.dropIn(), true, f.userGroups(), f.unitState());
        HostPlan p = Planner.plan("h1", changed, WANT);
        assertThat(steps(p)).containsExactly("config: config differs: 2 lines", "restart: config changed");
        assertThat(p.steps().get(0).diff().orElseThrow()).contains("-  http_listen_port: 9081\n+  http_listen_port: 9080\n");
    }

    @Test
    void aTamperedJarReinstallsTheSameRelease() {
        HostFacts f = converged();
        HostFacts tampered = new HostFacts(f.arch(), f.hostname(), f.osId(), f.osVersion(), f.osLike(), f.javaMajor(),
                f.javaDescription(), f.libpcap(), f.packageManager(), f.currentRelease(), f.releases(),
                Map.of("bin/agent", "a1", "lib/agent.jar", "XX", "lib/extra.jar", "e"), f.config(), f.configMode(), f.unit(),
                f.dropIn(), true, f.userGroups(), f.unitState());
        assertThat(steps(Planner.plan("h1", tampered, WANT))).containsExactly(
                "release: release " + RELEASE + ": 2 file(s) differ from the bundle (lib/agent.jar, lib/extra.jar)",
                "restart: release changed");
    }

    @Test
    void aStoppedAgentIsStartedAndNothingElse() {
        HostFacts f = converged();
        HostFacts stopped = new HostFacts(f.arch(), f.hostname(), f.osId(), f.osVersion(), f.osLike(), f.javaMajor(),
                f.javaDescription(), f.libpcap(), f.packageManager(), f.currentRelease(), f.releases(), f.wantedFiles(),
                f.config(), f.configMode(), f.unit(), f.dropIn(), true, f.userGroups(),
                Map.of("ActiveState", "failed", "UnitFileState", "enabled"));
        assertThat(steps(Planner.plan("h1", stopped, WANT))).containsExactly("restart: unit is failed, want active");
    }

    @Test
    void unsupportedArchitectureAndOldJavaAreRefused() {
        HostFacts f = converged();
        HostFacts mips = new HostFacts("mips", "h1", "debian", "12", "", Optional.of(17), "17", true, "apt-get",
                Optional.empty(), List.of(), Map.of(), Optional.empty(), "", Optional.empty(), Optional.empty(), false, List.of(), Map.of());
        assertThat(Planner.plan("h1", mips, WANT).refusal()).contains("architecture mips is not supported (x86_64, aarch64, armv7l)");
        HostFacts java11 = new HostFacts("armv7l", "h1", "debian", "12", "", Optional.of(11), "11.0.2", true, "apt-get",
                Optional.empty(), List.of(), Map.of(), Optional.empty(), "", Optional.empty(), Optional.empty(), false, List.of(), Map.of());
        assertThat(Planner.plan("h1", java11, WANT).refusal().orElseThrow())
                .contains("java >= 17 is required, found java 11.0.2").contains("--install-java");
        DesiredState install = new DesiredState(BUNDLE, WANT.config(), WANT.unit(), "", true, 9080);
        assertThat(steps(Planner.plan("h1", java11, install)).get(0))
                .isEqualTo("install-java: java 11.0.2; apt-get install openjdk-17-jre-headless");
    }
}

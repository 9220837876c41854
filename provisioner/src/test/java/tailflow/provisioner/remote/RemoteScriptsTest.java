package tailflow.provisioner.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tailflow.agent.layout.InstallLayout;
import tailflow.provisioner.bundle.Bundle;
import tailflow.provisioner.bundle.BundleBuilder;
import tailflow.provisioner.bundle.TestCheckout;
import tailflow.provisioner.install.TarballRelease;
import tailflow.provisioner.plan.DesiredState;
import tailflow.provisioner.plan.HostPlan;
import tailflow.provisioner.plan.Step;
import tailflow.provisioner.plan.StepKind;

/**
 * The generated scripts run for real in the local sh, against a layout under a temp directory
 * (the steps that need root or systemd are read, not run).
 */
class RemoteScriptsTest {

    @TempDir
    Path tmp;

    private InstallLayout layout;
    private RemoteScripts scripts;
    private Bundle bundle;

    @BeforeEach
    void setUp() throws IOException {
        layout = new InstallLayout(tmp + "/opt/tailflow", tmp + "/etc/tailflow/agent.yaml", tmp + "/var/lib/tailflow",
                "tailflow-agent.service", "tailflow", "tailflow", List.of("adm", "systemd-journal"), 9080);
        scripts = new RemoteScripts(layout, new TarballRelease(layout));
        bundle = new BundleBuilder(TestCheckout.create(tmp.resolve("checkout"), "a jar")).build(tmp.resolve("bundles"));
    }

    private HostPlan plan(StepKind... steps) {
        return new HostPlan("h", java.util.Arrays.stream(steps).map(k -> Step.of(k, "test")).toList(), List.of(),
                Optional.empty(), Optional.of("0.0.1-old"), bundle.releaseId());
    }

    private DesiredState want() {
        return new DesiredState(bundle, "server: {}\n", "[Unit]\n", "", false, 9080);
    }

    private record Run(int exit, String stdout) {}

    private static Run sh(String script, InputStream stdin) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            stdin.transferTo(in);
        } catch (IOException e) {
            // the script may exit before reading everything
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void theReleaseStepUnpacksACheckedBundleAndTheSwitchPointsAtIt() throws Exception {
        Run r = sh(scripts.apply(plan(StepKind.RELEASE, StepKind.SWITCH), want()), Files.newInputStream(bundle.file()));
        ApplyReport report = ApplyReport.of(r.stdout());
        assertThat(r.exit()).as(r.stdout()).isZero();
        assertThat(report.done()).containsExactly(StepKind.RELEASE, StepKind.SWITCH);
        assertThat(report.uploadedBytes()).isEqualTo(bundle.size());
        Path release = Path.of(layout.releaseDir(bundle.releaseId()));
        assertThat(release.resolve("bin/agent")).exists();
        assertThat(Files.readString(release.resolve("VERSION")).strip()).isEqualTo(bundle.releaseId());
        assertThat(Files.readSymbolicLink(Path.of(layout.currentLink())).toString()).isEqualTo("releases/" + bundle.releaseId());
        try (var left = Files.list(Path.of(layout.installRoot()))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("releases", "current");
        }
    }

    @Test
    void aShortUploadFailsLoudlyAndLeavesNothingBehind() throws Exception {
        byte[] all = Files.readAllBytes(bundle.file());
        byte[] cut = java.util.Arrays.copyOf(all, all.length / 2);
        Run r = sh(scripts.apply(plan(StepKind.RELEASE, StepKind.SWITCH), want()), new ByteArrayInputStream(cut));
        ApplyReport report = ApplyReport.of(r.stdout());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(report.failure()).contains(new Marker.StepFailed(StepKind.RELEASE,
                "uploaded bundle is " + cut.length + " bytes, want " + all.length));
        assertThat(report.done()).isEmpty();
        assertThat(Path.of(layout.releaseDir(bundle.releaseId()))).doesNotExist();
        try (var left = Files.list(Path.of(layout.installRoot()))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("releases");
        }
    }

    @Test
    void aCorruptUploadOfTheRightSizeFailsItsSha256() throws Exception {
        byte[] all = Files.readAllBytes(bundle.file());
        all[all.length / 2] ^= 1;
        ApplyReport report = ApplyReport.of(sh(scripts.apply(plan(StepKind.RELEASE), want()), new ByteArrayInputStream(all)).stdout());
        assertThat(report.failure().map(Marker.StepFailed::why)).contains("uploaded bundle does not match sha256 " + bundle.sha256());
    }

    @Test
    void commandsBeforeTheUploadCannotEatBundleBytes() throws Exception {
        // a step that reads stdin (here: cat) runs before the release step
        String script = scripts.apply(plan(StepKind.RELEASE), want())
                .replaceFirst("(export LC_ALL=C[^\n]*\n)", "$1cat > /dev/null\n");
        Run r = sh(script, Files.newInputStream(bundle.file()));
        assertThat(ApplyReport.of(r.stdout()).done()).as(r.stdout()).containsExactly(StepKind.RELEASE);
    }

    @Test
    void rollbackRestoresPreviousFilesAndReleaseThenRestarts() {
        String s = scripts.rollback(plan(StepKind.CONFIG, StepKind.SWITCH, StepKind.RESTART),
                EnumSet.of(StepKind.CONFIG, StepKind.SWITCH, StepKind.RESTART));
        assertThat(s).contains("mv -f \"" + tmp + "/etc/tailflow/.agent.yaml.prev\" \"" + tmp + "/etc/tailflow/agent.yaml\"")
                .contains("ln -sfn releases/0.0.1-old " + tmp + "/opt/tailflow/.current.new")
                .contains("systemctl restart tailflow-agent.service 2>&1 && echo \"@@rolledback 0.0.1-old\"")
                .doesNotContain("daemon-reload");
    }

    @Test
    void theUserStepPutsTheAccountInEveryGroupOfTheLayout() {
        String s = scripts.apply(plan(StepKind.USER), want());
        assertThat(s).contains("usermod -a -G adm,systemd-journal tailflow")
                .contains("useradd --system --user-group --groups adm,systemd-journal --no-create-home --home-dir "
                        + tmp + "/var/lib/tailflow");
    }

    @Test
    void enableSharesTheDaemonReloadWhenBothArePlannedAndReloadsOnItsOwnOtherwise() {
        String both = scripts.apply(plan(StepKind.DAEMON_RELOAD, StepKind.ENABLE), want());
        assertThat(both).containsOnlyOnce("systemctl enable --quiet --no-reload tailflow-agent.service")
                .containsOnlyOnce("systemctl daemon-reload ||");
        assertThat(both.indexOf("systemctl enable")).isLessThan(both.indexOf("systemctl daemon-reload"));
        assertThat(both.indexOf("step daemon-reload")).isLessThan(both.indexOf("step enable"));
        String alone = scripts.apply(plan(StepKind.ENABLE), want());
        assertThat(alone).contains("systemctl enable --quiet tailflow-agent.service").doesNotContain("--no-reload")
                .doesNotContain("daemon-reload");
    }

    @Test
    void aReadyAgentIsConfirmedWithOneRequestAndNoUnitQuery() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ready", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        try {
            Path bin = Files.createDirectories(tmp.resolve("bin"));
            Path calls = tmp.resolve("systemctl.calls");
            Files.writeString(bin.resolve("systemctl"), "#!/bin/sh\necho \"$*\" >> " + calls + "\n");
            bin.resolve("systemctl").toFile().setExecutable(true);
            // the hosts in the lab have neither curl nor wget: the bash fallback reads the status line itself
            String script = "PATH=" + bin + ":$PATH\n" + scripts.readiness(server.getAddress().getPort(),
                    java.time.Duration.ofSeconds(5), "b", "a").replace("command -v curl", "false").replace("command -v wget", "false");
            Run r = sh(script, InputStream.nullInputStream());
            assertThat(r.exit()).as(r.stdout()).isZero();
            assertThat(r.stdout()).contains("@@ready 200");
            assertThat(calls).as("no unit query when /ready answers 200 right after the restart").doesNotExist();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anAgentThatDoesNotAnswerIsWatchedThroughItsUnitUntilItFails() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("systemctl"), "#!/bin/sh\nprintf 'ActiveState=failed\\nSubState=failed\\nResult=exit-code\\n'\n");
        bin.resolve("systemctl").toFile().setExecutable(true);
        Files.writeString(bin.resolve("journalctl"), "#!/bin/sh\necho 'agent: boom'\n");
        bin.resolve("journalctl").toFile().setExecutable(true);
        int closedPort;
        try (var s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Run r = sh("PATH=" + bin + ":$PATH\n" + scripts.readiness(closedPort, java.time.Duration.ofSeconds(5), "b", "a"),
                InputStream.nullInputStream());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).contains("@@notready unit failed/failed (result exit-code)").contains("@@journal agent: boom")
                .doesNotContain("@@ready");
    }

    @Test
    void verifyPrunesAllButTheRunningAndThePreviousRelease() throws Exception {
        for (String r : List.of("a", "b", "c")) {
            Files.createDirectories(Path.of(layout.releaseDir(r)));
        }
        String script = scripts.verify(9080, java.time.Duration.ofSeconds(1), "b", "a");
        String prune = script.substring(script.indexOf("echo \"@@ready $code\"") + "echo \"@@ready $code\"".length());
        assertThat(sh(prune, InputStream.nullInputStream()).exit()).isZero();
        try (var left = Files.list(Path.of(layout.releasesDir()))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a", "b");
        }
    }
}

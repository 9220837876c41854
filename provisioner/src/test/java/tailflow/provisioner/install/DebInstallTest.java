package tailflow.provisioner.install;

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
import tailflow.provisioner.bundle.DebPackage;
import tailflow.provisioner.bundle.TestDeb;
import tailflow.provisioner.plan.HostPlan;
import tailflow.provisioner.plan.Step;
import tailflow.provisioner.plan.StepKind;

/**
 * The deb method's script fragments. Those that would call dpkg or systemctl are read, not run
 * (this machine is not a test host); the upload check and the keeping of .debs run in the local sh
 * against a kept directory under a temp directory.
 */
class DebInstallTest {

    private static final String PRELUDE = """
            set -u
            exec 3<&0 </dev/null
            step() { echo "@@step $1"; }
            fail() { echo "@@fail $1 $2"; exit 1; }
            """;

    @TempDir
    Path tmp;

    private Path kept;
    private DebPackage deb;
    private DebInstall method;

    @BeforeEach
    void setUp() throws IOException {
        kept = tmp.resolve("kept");
        deb = DebPackage.read(TestDeb.write(tmp.resolve("tailflow-agent_0.2.0_all.deb"), "tailflow-agent", "0.2.0"));
        method = new DebInstall(deb, kept.toString());
    }

    private static String sh(String script, InputStream stdin) throws Exception {
        return sh(script, stdin, null);
    }

    /** @param fakes a directory put first on PATH (fake apt-get, dpkg, dpkg-query), or null */
    private static String sh(String script, InputStream stdin, Path fakes) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", PRELUDE + script).redirectErrorStream(true);
        if (fakes != null) {
            pb.environment().put("PATH", fakes + ":" + pb.environment().get("PATH"));
        }
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            stdin.transferTo(in);
        } catch (IOException e) {
            // the script may exit before reading everything
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return "exit " + p.waitFor() + "\n" + out;
    }

    private HostPlan plan(Optional<String> previous, StepKind... steps) {
        return new HostPlan("h", java.util.Arrays.stream(steps).map(k -> Step.of(k, "test")).toList(), List.of(), Optional.empty(),
                previous, deb.version());
    }

    @Test
    void aCorruptUploadFailsBeforeDpkgIsCalledAndKeepsNothing() throws Exception {
        byte[] bytes = Files.readAllBytes(deb.file());
        bytes[bytes.length / 2] ^= 1;
        String out = sh(method.installRelease(null), new ByteArrayInputStream(bytes));
        assertThat(out).startsWith("exit 1").contains("@@fail release uploaded package does not match sha256 " + deb.sha256())
                .doesNotContain("@@uploaded");
        try (var left = Files.list(kept)) {
            assertThat(left).as("no .deb, no marker").isEmpty();
        }
        String shortOut = sh(method.installRelease(null), new ByteArrayInputStream(new byte[10]));
        assertThat(shortOut).contains("@@fail release uploaded package is 10 bytes, want " + deb.size());
    }

    /** Fake dpkg tools: dpkg-query reports {@code installed}; apt-get and dpkg print {@code output} and exit {@code exit}. */
    private Path fakes(String installed, String output, int exit) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : List.of("apt-get", "dpkg")) {
            Path f = bin.resolve(tool);
            Files.writeString(f, "#!/bin/sh\necho \"" + tool + " $*\" >> " + tmp.resolve("calls") + "\nprintf '" + output + "'\nexit " + exit + "\n");
            f.toFile().setExecutable(true);
        }
        Path q = bin.resolve("dpkg-query");
        Files.writeString(q, "#!/bin/sh\nprintf '%s' '" + installed + "'\n");
        q.toFile().setExecutable(true);
        return bin;
    }

    @Test
    void aFailedAptGetIsOneMarkerLineWithTheAgentsReasonEvenFromAPtysCrLf() throws Exception {
        // apt-get copies dpkg's output from a pty: lines end in \r\n, and Java's readLine splits at a lone \r
        Path bin = fakes("", "Setting up tailflow-agent (0.2.0) ...\\r\\n"
                + "tailflow-agent: not restarted: /etc/tailflow/agent.yaml does not load\\r\\n"
                + "agent: /etc/tailflow/agent.yaml:3:1: no_such_key: unknown key\\r\\n"
                + "E: Sub-process /usr/bin/dpkg returned an error code (1)\\n", 100);
        String out = sh(method.installRelease(null), Files.newInputStream(deb.file()), bin);
        List<String> lines = new java.io.BufferedReader(new java.io.StringReader(out)).lines().toList();
        assertThat(lines).filteredOn(l -> l.startsWith("@@fail")).singleElement().asString()
                .startsWith("@@fail release apt-get install failed: tailflow-agent: not restarted: /etc/tailflow/agent.yaml does not load")
                .contains("agent: /etc/tailflow/agent.yaml:3:1: no_such_key: unknown key")
                .contains("E: Sub-process /usr/bin/dpkg returned an error code (1)");
        assertThat(Files.readString(tmp.resolve("calls"))).startsWith("apt-get install -y -q --allow-downgrades")
                .contains("-o Dpkg::Use-Pty=0").contains(kept + "/new.deb");
        assertThat(kept.resolve(".touched")).as("dpkg was reached: a rollback must reinstall").exists();
    }

    @Test
    void theSameVersionInstalledIsReinstalledWithDpkgAndThePackageIsKeptAsNewDeb() throws Exception {
        Path bin = fakes("install ok installed 0.2.0", "", 0);
        String out = sh(method.installRelease(null), Files.newInputStream(deb.file()), bin);
        assertThat(out).startsWith("exit 0").contains("@@uploaded " + deb.size()).contains("@@step release");
        assertThat(Files.readString(tmp.resolve("calls")).strip())
                .isEqualTo("dpkg --force-confdef --force-confold -i " + kept + "/new.deb");
        assertThat(Files.readAllBytes(kept.resolve("new.deb"))).isEqualTo(Files.readAllBytes(deb.file()));
    }

    @Test
    void theInstallNeverPromptsKeepsTheProvisionersConfigAndPullsDependsThroughApt() {
        String s = method.installRelease(null);
        assertThat(s).contains("apt-get install -y -q --allow-downgrades -o DPkg::Lock::Timeout=120 -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef")
                .contains("-o Dpkg::Options::=--force-confold " + kept + "/new.deb")
                .contains("if [ \"$have\" = \"install ok installed 0.2.0\" ] || ! command -v apt-get")
                .contains("dpkg --force-confdef --force-confold -i " + kept + "/new.deb")
                .contains("export DEBIAN_FRONTEND=noninteractive");
        assertThat(s.indexOf(": > " + kept + "/.touched")).as("the marker is set before dpkg runs")
                .isLessThan(s.indexOf("dpkg --force-confdef"));
    }

    @Test
    void afterTheUploadTheRestartLeavesARunningAgentToThePackage() {
        assertThat(method.restart("tailflow-agent.service"))
                .contains("if [ \"${tf_package_started:-}\" = 1 ] && systemctl is-active --quiet tailflow-agent.service; then")
                .contains("systemctl restart tailflow-agent.service 2>&1 || fail restart").endsWith("step restart\n");
        assertThat(method.installRelease(null)).contains("tf_package_started=1\nstep release");
    }

    @Test
    void aVerifiedApplyKeepsTheNewDebAsCurrentAndTheOldOneAsPrevious() throws Exception {
        Files.createDirectories(kept);
        TestDeb.write(kept.resolve("current.deb"), "tailflow-agent", "0.1.0");
        Files.copy(deb.file(), kept.resolve("new.deb"));
        Files.writeString(kept.resolve(".touched"), "");
        assertThat(sh(method.prune("0.2.0", "0.1.0"), InputStream.nullInputStream())).startsWith("exit 0");
        assertThat(DebPackage.read(kept.resolve("current.deb")).version()).isEqualTo("0.2.0");
        assertThat(DebPackage.read(kept.resolve("previous.deb")).version()).isEqualTo("0.1.0");
        try (var left = Files.list(kept)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("current.deb", "previous.deb");
        }
    }

    @Test
    void aStaleNewDebOfAnotherVersionIsNotPromoted() throws Exception {
        Files.createDirectories(kept);
        TestDeb.write(kept.resolve("current.deb"), "tailflow-agent", "0.2.0");
        TestDeb.write(kept.resolve("new.deb"), "tailflow-agent", "0.3.0");
        assertThat(sh(method.prune("0.2.0", ""), InputStream.nullInputStream())).startsWith("exit 0");
        assertThat(DebPackage.read(kept.resolve("current.deb")).version()).isEqualTo("0.2.0");
        assertThat(kept.resolve("previous.deb")).doesNotExist();
    }

    @Test
    void rollbackReinstallsTheKeptDebOnlyWhenThisApplyTouchedThePackage() throws Exception {
        String s = method.restoreRelease(plan(Optional.of("0.1.0"), StepKind.RELEASE, StepKind.RESTART), EnumSet.of(StepKind.RELEASE));
        assertThat(s).contains("if [ -f " + kept + "/.touched ]; then")
                .contains("[ \"$(dpkg-deb -f " + kept + "/current.deb Version 2>/dev/null)\" = '0.1.0' ]")
                .contains("dpkg --force-confdef --force-confold -i " + kept + "/current.deb")
                .contains("@@rollbackfailed no .deb of tailflow-agent 0.1.0 kept in " + kept);
        // no marker: the apply failed before dpkg ran, nothing to reinstall (and dpkg is not called)
        Files.createDirectories(kept);
        Files.writeString(kept.resolve("new.deb"), "partial");
        assertThat(sh(s, InputStream.nullInputStream())).isEqualTo("exit 0\n");
        assertThat(kept.resolve("new.deb")).doesNotExist();
    }

    @Test
    void rollbackOfAFirstInstallPurgesThePackage() {
        assertThat(method.undoFirstInstall("tailflow-agent.service"))
                .contains("dpkg --purge tailflow-agent").contains("@@stopped no package before: tailflow-agent purged")
                .contains("systemctl stop tailflow-agent.service 2>&1; echo \"@@stopped nothing was installed before\"");
    }

    @Test
    void thePackageShipsTheUnit() {
        assertThat(method.unitFile()).isEmpty();
        assertThat(method.payload(null)).isEqualTo(deb.file());
    }
}

package tailflow.systemtest.deb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tailflow.systemtest.arm.ArmArch;
import tailflow.systemtest.arm.ArmSysroot;
import tailflow.systemtest.hosts.HostImage;
import tailflow.systemtest.support.CommandResult;

/**
 * The same architecture-independent .deb on armv7: dpkg -i inside the armhf sysroot under QEMU
 * user mode (its dependencies recorded as installed there), then the installed agent runs on the
 * emulated ARM JVM: --version, and --dry-run of the packaged config finds JNA's linux-arm native
 * and Debian's libpcap.so.0.8. There is no systemd in the sysroot: the unit's part is
 * DebPackageIT's.
 */
class DebArmhfIT {
    private static final Map<String, String> SBIN_PATH = Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "TAILFLOW_JAVA_OPTS", "-Xint");

    @Test
    void dpkgInstallsTheDebAndTheAgentRunsOnArmhf() throws Exception {
        Path deb = DebBuild.built();
        try (ArmSysroot sysroot = ArmSysroot.open(ArmArch.ARMHF, HostImage.checkoutRoot())) {
            Files.copy(deb, sysroot.hostPath("/root/tailflow-agent.deb"));
            CommandResult install = sysroot.run(Duration.ofMinutes(10), SBIN_PATH, "dpkg", "-i", "/root/tailflow-agent.deb");
            assertThat(install.exitCode()).as(install.output()).isZero();
            assertThat(sysroot.run(Duration.ofMinutes(1), SBIN_PATH, "dpkg-query", "-W", "-f=${Status}", "tailflow-agent")
                    .requireOk().output()).isEqualTo("install ok installed");
            assertThat(sysroot.run(Duration.ofMinutes(1), SBIN_PATH, "getent", "passwd", "tailflow").requireOk().output())
                    .startsWith("tailflow:");

            CommandResult version = sysroot.run(Duration.ofMinutes(3), SBIN_PATH, "tailflow-agent", "--version");
            assertThat(version.exitCode()).as(version.output()).isZero();
            assertThat(version.output()).contains("tailflow agent");
            CommandResult dry = sysroot.run(Duration.ofMinutes(3), SBIN_PATH,
                    "tailflow-agent", "--dry-run", "--config", "/etc/tailflow/agent.yaml");
            assertThat(dry.exitCode()).as(dry.output()).isZero();
            assertThat(dry.output()).as(dry.output()).contains("machine: " + ArmArch.ARMHF.unameMachine())
                    .containsPattern("jna: \"?ok .*\\(" + ArmArch.ARMHF.jnaResourcePrefix() + ", ")
                    .containsPattern("libpcap: \"?ok .*libpcap\\.so\\.0\\.8");
        }
    }
}

package tailflow.systemtest.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent as built by {@code mvn package}, run under QEMU user mode in a chroot of a Debian
 * ARM sysroot. One sysroot per class (unpacking it takes a second; the first build on a machine
 * ~30 s). Subclasses choose the architecture.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UserModeAgentChecks {

    /** Short runs: the interpreter starts fastest under emulation (measured: JIT tiers cost more than they save). */
    static final Map<String, String> SHORT_RUN = Map.of("TAILFLOW_JAVA_OPTS", "-Xint");

    ArmSysroot sysroot;

    abstract ArmArch arch();

    @BeforeAll
    void openSysroot() throws Exception {
        sysroot = ArmSysroot.open(arch(), Path.of(System.getProperty("tailflow.root", "..")).toAbsolutePath().normalize());
    }

    @AfterAll
    void closeSysroot() {
        if (sysroot != null) {
            sysroot.close();
        }
    }

    @Test
    void versionRunsOnTheEmulatedArmJvm() throws Exception {
        // The JVM must be the sysroot's ARM build, not the host's: uname and os.arch both say so.
        assertThat(sysroot.run(Duration.ofSeconds(30), Map.of(), "uname", "-m").requireSuccess().output().strip())
                .isEqualTo(arch().unameMachine());
        HostCommand.Result props = sysroot.run(Duration.ofMinutes(1), Map.of(),
                ArmSysroot.JAVA_HOME + "/bin/java", "-Xint", "-XshowSettings:properties", "-version").requireSuccess();
        assertThat(props.output()).contains("os.arch = " + arch().javaOsArch());

        HostCommand.Result version = sysroot.run(Duration.ofMinutes(2), SHORT_RUN, "packaging/bin/agent", "--version");
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output()).contains("tailflow agent");
    }
}

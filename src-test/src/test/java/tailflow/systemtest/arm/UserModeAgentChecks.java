package tailflow.systemtest.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        // What configs/agent.yaml's /var/log/*log glob must find (and must not) inside the sysroot.
        Path varLog = sysroot.hostPath("/var/log");
        Files.writeString(varLog.resolve("syslog"), "one\n");
        Files.writeString(varLog.resolve("auth.log"), "two\n");
        Files.writeString(varLog.resolve("notes.txt"), "not a log\n");
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

    @Test
    void dryRunShowsArmMachineNativeLibrariesAndGlobMatches() throws Exception {
        HostCommand.Result dry = sysroot.run(Duration.ofMinutes(3), SHORT_RUN,
                "packaging/bin/agent", "--dry-run", "--config", "configs/agent.yaml");
        assertThat(dry.exitCode()).as(dry.output()).isZero();
        String out = dry.output();
        assertThat(out).as(out).contains("machine: " + arch().unameMachine());
        // JNA's dispatch library for this architecture loaded (not merely found on the classpath) ...
        assertThat(out).as(out).containsPattern("jna: \"?ok .*\\(" + arch().jnaResourcePrefix() + ", ");
        // ... and libpcap by the name Debian ships without -dev (the sysroot has no libpcap.so).
        assertThat(out).as(out).containsPattern("libpcap: \"?ok .*libpcap\\.so\\.0\\.8");
        assertThat(out).as(out).contains("- /var/log/syslog", "- /var/log/auth.log").doesNotContain("notes.txt");
    }


    /**
     * A second copy of the checkout's build inside the sysroot whose JNA jar lacks this
     * architecture's native dispatch library, as a jar carrying only x86_64 natives would.
     *
     * @return the copy's directory inside the sysroot
     */
    String checkoutWithoutJnaNative() throws Exception {
        String broken = "/opt/tailflow-no-arm-native";
        Path brokenRoot = sysroot.hostPath(broken);
        Path checkout = sysroot.hostPath(ArmSysroot.CHECKOUT);
        Files.createDirectories(brokenRoot.resolve("agent/target/lib"));
        Files.createDirectories(brokenRoot.resolve("packaging/bin"));
        Files.copy(checkout.resolve("packaging/bin/agent"), brokenRoot.resolve("packaging/bin/agent"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(checkout.resolve("agent/target/agent.jar"), brokenRoot.resolve("agent/target/agent.jar"));
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(checkout.resolve("agent/target/lib"), "*.jar")) {
            for (Path jar : jars) {
                Path target = brokenRoot.resolve("agent/target/lib").resolve(jar.getFileName().toString());
                if (jar.getFileName().toString().startsWith("jna-")) {
                    int removed = JarSurgery.copyWithout(jar, target, "com/sun/jna/" + arch().jnaResourcePrefix() + "/");
                    assertThat(removed).as("native entries removed from " + jar.getFileName()).isPositive();
                } else {
                    Files.copy(jar, target);
                }
            }
        }
        return broken;
    }
}

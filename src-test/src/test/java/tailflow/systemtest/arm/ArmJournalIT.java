package tailflow.systemtest.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tailflow.agent.journal.ExportJournal;
import tailflow.systemtest.support.Command;
import tailflow.systemtest.support.CommandResult;

/**
 * The journal read through JNA on armv7 and aarch64 (QEMU user mode, Debian's libsystemd0 in the
 * sysroot) from journal files written on this machine: every entry's cursor, realtime timestamp
 * and fields, and test_cursor, are identical to what the x86_64 JVM reads from the same files.
 * That is the check on the binding's 32-bit types (size_t lengths, uint64 timestamps by value and
 * by reference) where they differ from x86_64.
 */
class ArmJournalIT {
    private static final String GUEST_DIR = "/var/tmp/journal";
    private static final long T0 = 1_700_000_000_000_000L;

    @ParameterizedTest
    @EnumSource(ArmArch.class)
    void readsTheSameEntriesAndCursorsAsX8664(ArmArch arch) throws Exception {
        Path checkout = Path.of(System.getProperty("tailflow.root", "..")).toAbsolutePath().normalize();
        try (ArmSysroot sysroot = ArmSysroot.open(arch, checkout)) {
            assertThat(sysroot.hostPath("/usr/lib/" + arch.multiarchTriplet() + "/libsystemd.so.0"))
                    .as("libsystemd0 in the %s sysroot (src-test/fixtures/arm-sysroot.sh)", arch).exists();
            Path dir = Files.createDirectories(sysroot.hostPath(GUEST_DIR));
            ExportJournal journal = new ExportJournal().addMany(T0, 20, "entry");
            // a field longer than the 64 KiB data threshold's neighbourhood and one with a newline
            journal.add(T0 + 100_000, Map.of("MESSAGE", "x".repeat(70_000), "PRIORITY", "3"));
            journal.add(T0 + 200_000, Map.of("MESSAGE", "two\nlines", "_SYSTEMD_UNIT", "ü.service"));
            journal.writeTo(dir.resolve("system.journal"));

            String x86 = Command.of(System.getProperty("java.home") + "/bin/java", "-cp",
                    checkout.resolve("agent/target/agent.jar").toString(), "tailflow.agent.journal.JournalDump", dir.toString())
                    .timeout(Duration.ofMinutes(2)).mergeStderr().run().requireOk().output();
            assertThat(x86).contains("realtime " + T0, "MESSAGE=entry 19", "test_cursor true", "MESSAGE=two\\nlines")
                    .doesNotContain("test_cursor false");

            CommandResult arm = sysroot.run(Duration.ofMinutes(5), Map.of(), ArmSysroot.JAVA_HOME + "/bin/java", "-Xint",
                    "-cp", "agent/target/agent.jar", "tailflow.agent.journal.JournalDump", GUEST_DIR);
            assertThat(arm.exitCode()).as(arm.output()).isZero();
            assertThat(arm.output()).isEqualTo(x86);
        }
    }
}

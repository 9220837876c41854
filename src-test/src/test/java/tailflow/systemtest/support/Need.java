package tailflow.systemtest.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Something a system test needs from the machine, with how to check it and what to do when it is
 * missing. The remedy is always the same first step: {@code src-test/setup-test-machine.sh} as
 * root installs every package the tests use; the package or command named after it is what that
 * step would have brought.
 */
public enum Need {
    ROOT("root", Need::isRoot, "run the tests as root (namespaces, mounts, capture, nspawn)"),
    NSPAWN("systemd-nspawn", () -> onPath("systemd-nspawn"), "apt-get install systemd-container"),
    DEBOOTSTRAP("debootstrap", () -> onPath("debootstrap"), "apt-get install debootstrap"),
    SSH_CLIENT("ssh", () -> onPath("ssh"), "apt-get install openssh-client"),
    IPROUTE("ip", () -> onPath("ip"), "apt-get install iproute2"),
    TSHARK("tshark", () -> onPath("tshark"), "apt-get install tshark"),
    SFACCTD("sfacctd", () -> onPath("sfacctd"), "apt-get install pmacct"),
    SOCAT("socat", () -> onPath("socat"), "apt-get install socat"),
    LOGROTATE("logrotate", () -> onPath("logrotate") || Files.isExecutable(Path.of("/usr/sbin/logrotate")),
            "apt-get install logrotate"),
    SYSTEMD_ANALYZE("systemd-analyze", () -> onPath("systemd-analyze"), "apt-get install systemd"),
    LINTIAN("lintian", () -> onPath("lintian"), "apt-get install lintian"),
    ANSIBLE("ansible-inventory", () -> onPath("ansible-inventory"), "apt-get install ansible-core"),
    MIT_KDC("MIT Kerberos KDC and tools", () -> onPath("krb5kdc") && onPath("kdb5_util") && onPath("kinit"),
            "apt-get install krb5-kdc krb5-admin-server krb5-user"),
    QEMU_ARM("QEMU user mode for armhf", () -> Files.exists(Path.of("/usr/share/binfmts/qemu-arm")),
            "apt-get install qemu-user-static binfmt-support"),
    QEMU_AARCH64("QEMU user mode for arm64", () -> Files.exists(Path.of("/usr/share/binfmts/qemu-aarch64")),
            "apt-get install qemu-user-static binfmt-support"),
    BINFMT_MISC("binfmt_misc (the kernel feature QEMU user mode registers with)",
            () -> Files.isDirectory(Path.of("/proc/sys/fs/binfmt_misc")),
            "a kernel with binfmt_misc (CONFIG_BINFMT_MISC); in a container, a privileged one");

    private final String what;
    private final BooleanSupplier present;
    private final String remedy;

    Need(String what, BooleanSupplier present, String remedy) {
        this.what = what;
        this.present = present;
        this.remedy = remedy;
    }

    public boolean present() {
        return present.getAsBoolean();
    }

    /** "tshark: apt-get install tshark". */
    public String missingLine() {
        return what + " (" + remedy + ")";
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        return Arrays.stream((path + ":/usr/sbin:/sbin").split(":"))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[2].equals("0")); // effective uid
        } catch (IOException e) {
            return false;
        }
    }
}

package tailflow.systemtest.arm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import tailflow.systemtest.support.Machine;
import tailflow.systemtest.support.Need;
import tailflow.systemtest.support.Command;
import tailflow.systemtest.support.CommandResult;
import tailflow.systemtest.support.Wait;

/**
 * A Debian ARM sysroot on its own tmpfs, ready for {@code chroot}: {@code /dev} bind-mounted (JNA
 * stalls for seconds without it), {@code /proc} mounted (the host counters and QEMU's own emulated
 * {@code /proc/self}), {@code /sys} mounted read-only (interfaces), and the checkout's built agent ({@code agent/target/agent.jar},
 * {@code agent/target/lib}, {@code packaging/bin/agent}, {@code configs/}) copied in at
 * {@link #CHECKOUT}. Binaries run through the kernel's binfmt_misc handler for QEMU user mode.
 *
 * <p>Everything is on tmpfs because a 32-bit guest under qemu-user sees empty directory listings
 * on ext4; a chroot (rather than {@code qemu-arm -L}) keeps JNA from finding the host's x86_64
 * libraries. {@link #close()} kills whatever still runs inside and unmounts everything; a
 * shutdown hook does the same if the test JVM is stopped first.
 */
public final class ArmSysroot implements AutoCloseable {

    /** Where the checkout's build is installed inside the sysroot, laid out as in the checkout. */
    public static final String CHECKOUT = "/opt/tailflow-checkout";
    public static final String JAVA_HOME = "/usr/lib/jvm/default-java";

    private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(60);

    private final ArmArch arch;
    private final Path root;
    private final List<Path> mounts = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private ArmSysroot(ArmArch arch, Path root) {
        this.arch = arch;
        this.root = root;
        this.shutdownHook = new Thread(this::closeQuietly, "tailflow-arm-sysroot-cleanup");
    }

    /**
     * Builds or reuses the cached sysroot of {@code arch} (src-test/fixtures/arm-sysroot.sh),
     * unpacks it onto a fresh tmpfs and installs the checkout's build. Needs root.
     *
     * @param checkout the repository root (with agent/target built by {@code mvn package})
     */
    public static ArmSysroot open(ArmArch arch, Path checkout) throws IOException, InterruptedException {
        Machine.require(Need.ROOT, Need.BINFMT_MISC, arch == ArmArch.ARMHF ? Need.QEMU_ARM : Need.QEMU_AARCH64);
        Path fixtures = checkout.resolve("src-test/fixtures");
        Path agentJar = checkout.resolve("agent/target/agent.jar");
        if (!Files.isRegularFile(agentJar)) {
            throw new IllegalStateException(agentJar + " missing: run 'mvn -B -DskipTests package' first");
        }
        Command.of(fixtures.resolve("arm-binfmt.sh").toString(), arch.debianArch()).timeout(MOUNT_TIMEOUT).mergeStderr().run().requireOk();
        // The first build on a machine downloads ~70 MB; later runs reuse the cached tarball.
        String built = Command.of(fixtures.resolve("arm-sysroot.sh").toString(), arch.debianArch()).timeout(Duration.ofMinutes(15)).mergeStderr().run().requireFinished()
                .requireOk().output().strip();
        Path tarball = Path.of(built.substring(built.lastIndexOf('\n') + 1));

        ArmSysroot sysroot = new ArmSysroot(arch, Files.createTempDirectory("tailflow-arm-" + arch.debianArch() + "-"));
        Runtime.getRuntime().addShutdownHook(sysroot.shutdownHook);
        try {
            sysroot.mount(sysroot.root, "-t", "tmpfs", "-o", "size=1536m,mode=0755", "tailflow-arm");
            Command.of("tar", "-C", sysroot.root.toString(), "-xf", tarball.toString()).timeout(Duration.ofMinutes(2)).mergeStderr().run().requireFinished()
                    .requireOk();
            sysroot.mount(sysroot.root.resolve("dev"), "--bind", "/dev");
            sysroot.mount(sysroot.root.resolve("proc"), "-t", "proc", "proc");
            // Interface discovery reads /sys/class/net; a fresh sysfs of this network namespace.
            sysroot.mount(sysroot.root.resolve("sys"), "-t", "sysfs", "-o", "ro", "sysfs");
            sysroot.installCheckout(checkout);
            return sysroot;
        } catch (IOException | InterruptedException | RuntimeException e) {
            sysroot.close();
            throw e;
        }
    }

    public ArmArch arch() {
        return arch;
    }

    /** The sysroot's directory on the test machine. */
    public Path root() {
        return root;
    }

    /** The test machine's path of {@code guestPath} (an absolute path inside the sysroot). */
    public Path hostPath(String guestPath) {
        if (!guestPath.startsWith("/")) {
            throw new IllegalArgumentException("guest path must be absolute: " + guestPath);
        }
        return root.resolve(guestPath.substring(1));
    }

    /**
     * The command line that runs {@code argv} inside the sysroot, in {@link #CHECKOUT}, with only
     * the given environment (plus PATH, HOME and JAVA_HOME).
     */
    public List<String> chrootCommand(Map<String, String> env, List<String> argv) {
        Map<String, String> full = new LinkedHashMap<>();
        full.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        full.put("HOME", "/root");
        full.put("LANG", "C.UTF-8");
        full.put("JAVA_HOME", JAVA_HOME);
        full.putAll(env);
        List<String> command = new ArrayList<>(List.of("chroot", root.toString(), "/usr/bin/env", "-i", "-C", CHECKOUT));
        full.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(argv);
        return command;
    }

    /** Runs {@code argv} inside the sysroot to completion within {@code timeout}. */
    public CommandResult run(Duration timeout, Map<String, String> env, String... argv)
            throws IOException, InterruptedException {
        return Command.of(chrootCommand(env, List.of(argv))).timeout(timeout).mergeStderr().run().requireFinished();
    }

    /** Starts {@code argv} inside the sysroot; its stdout and stderr go to files under {@code logDir}. */
    public GuestProcess start(Path logDir, Map<String, String> env, String... argv) throws IOException {
        return GuestProcess.start(chrootCommand(env, List.of(argv)), logDir);
    }

    private void installCheckout(Path checkout) throws IOException {
        Path dest = hostPath(CHECKOUT);
        copyTree(checkout.resolve("agent/target/lib"), dest.resolve("agent/target/lib"));
        Files.copy(checkout.resolve("agent/target/agent.jar"), dest.resolve("agent/target/agent.jar"));
        copyTree(checkout.resolve("packaging/bin"), dest.resolve("packaging/bin"));
        copyTree(checkout.resolve("configs"), dest.resolve("configs"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private void mount(Path target, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mount"));
        command.addAll(List.of(args));
        command.add(target.toString());
        Command.of(command).timeout(MOUNT_TIMEOUT).mergeStderr().run().requireOk();
        mounts.add(target);
    }

    /** Kills what still runs inside, unmounts (innermost first) and removes the mount point. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // called from the hook itself
        }
        try {
            killProcessesInside();
            keepCrashReports();
            List<Path> reversed = new ArrayList<>(mounts);
            reversed.sort(Comparator.comparingInt(Path::getNameCount).reversed());
            for (Path m : reversed) {
                unmount(m);
            }
            Files.deleteIfExists(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JVM crash reports (hs_err) would vanish with the tmpfs: keep them under target/arm-crash-reports. */
    private void keepCrashReports() throws IOException {
        Path dir = hostPath(CHECKOUT);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path report : files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList()) {
                Path keep = Path.of("target", "arm-crash-reports");
                Files.createDirectories(keep);
                Files.copy(report, keep.resolve(arch.debianArch() + "-" + report.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                System.err.println("tailflow-arm: kept " + keep.resolve(arch.debianArch() + "-" + report.getFileName()).toAbsolutePath());
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("tailflow-arm: cleanup of " + root + " failed: " + e);
        }
    }

    /** Processes whose root directory is this sysroot: only ones this harness started can be there. */
    private List<ProcessHandle> processesInside() {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> {
                try {
                    Path procRoot = Path.of("/proc", Long.toString(p.pid()), "root");
                    return procRoot.toRealPath().equals(root.toRealPath(LinkOption.NOFOLLOW_LINKS));
                } catch (IOException | SecurityException gone) {
                    return false;
                }
            }).toList();
        }
    }

    private void killProcessesInside() {
        // Best effort within 20 s: close() still unmounts what it can and says what was busy.
        Wait.upTo(Duration.ofSeconds(20), "no process left in " + root).poll(() -> {
            List<ProcessHandle> inside = processesInside();
            inside.forEach(ProcessHandle::destroyForcibly);
            return inside.isEmpty();
        });
    }

    private void unmount(Path target) {
        CommandResult[] last = {null};
        boolean unmounted = Wait.upTo(Duration.ofSeconds(5), "umount " + target).every(Duration.ofMillis(250)).poll(() -> {
            last[0] = Command.of("umount", target.toString()).timeout(MOUNT_TIMEOUT).mergeStderr().run().requireFinished();
            return last[0].ok();
        });
        if (!unmounted) {
            // Still busy after 5 s: detach it so the machine is left clean, and say so.
            Command.of("umount", "-l", target.toString()).timeout(MOUNT_TIMEOUT).mergeStderr().run().requireOk();
            System.err.println("tailflow-arm: " + target + " was busy (" + last[0].output().strip() + "); detached lazily");
        }
        mounts.remove(target);
    }
}

package tailflow.systemtest.hosts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tailflow.systemtest.support.Command;
import tailflow.systemtest.support.CommandResult;

/**
 * The machinery behind one {@link TestHost}: overlay mount, network namespace with a veth pair,
 * cgroup, the systemd-nspawn process, and their teardown in reverse order. Every resource has
 * a fixed name derived from N ({@code tfh<N>}), so leftovers of a killed test run are found and
 * removed before the same N is booted again.
 */
final class NspawnMachine {

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final List<String> CGROUP_HIERARCHIES = List.of("systemd", "unified");

    private final int index;
    private final String name;
    private final Path dir;
    private Process nspawn;

    NspawnMachine(int index, Path workRoot) {
        this.index = index;
        this.name = "tfh" + index;
        this.dir = workRoot.resolve(name);
    }

    Path rootDir() {
        return dir.resolve("root");
    }

    Path console() {
        return dir.resolve("console.log");
    }

    boolean running() {
        return nspawn != null && nspawn.isAlive();
    }

    /**
     * Prepares the overlay and the network, writes a fresh host key, and launches nspawn.
     * Returns the public host key line ({@code ssh-ed25519 AAAA...}).
     */
    String start(HostImage image) throws IOException {
        removeLeftovers();
        Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(rootDir());
        Command.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + image.rootfs() + ",upperdir="
                + dir.resolve("upper") + ",workdir=" + dir.resolve("work"), rootDir().toString()).run().requireOk();
        Path hostKey = rootDir().resolve("etc/ssh/ssh_host_ed25519_key");
        Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", hostKey.toString()).run()
                .requireOk();
        Files.writeString(rootDir().resolve("etc/hostname"), name + "\n");
        // As Debian's installer does: the own name resolves (sudo complains otherwise).
        Files.writeString(rootDir().resolve("etc/hosts"), "127.0.0.1 localhost\n127.0.1.1 " + name + "\n"
                + "::1 localhost ip6-localhost ip6-loopback\n");
        // Otherwise every host derives the same machine id (journal directories, D-Bus ids would clash).
        Files.writeString(rootDir().resolve("etc/machine-id"), UUID.randomUUID().toString().replace("-", "") + "\n");
        String net = "10.200." + index;
        String veth = "vh-" + name;
        Command.of("ip", "netns", "add", name).run().requireOk();
        Command.of("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", name).run().requireOk();
        Command.of("ip", "addr", "add", net + ".1/24", "dev", veth).run().requireOk();
        Command.of("ip", "link", "set", veth, "up").run().requireOk();
        Command.of("ip", "-n", name, "addr", "add", net + ".2/24", "dev", "eth0").run().requireOk();
        Command.of("ip", "-n", name, "link", "set", "eth0", "up").run().requireOk();
        Command.of("ip", "-n", name, "link", "set", "lo", "up").run().requireOk();
        // No default route on purpose: a host reaches its /24 (the test machine at .1) and nothing else.
        // nspawn must start from its own cgroup, or two containers would share one init.scope;
        // setsid detaches it from our session; --register=no --keep-unit because there is no
        // systemd on the test machine to register with.
        StringBuilder script = new StringBuilder("set -e\n");
        for (String h : CGROUP_HIERARCHIES) {
            Path cg = cgroup(h);
            script.append("mkdir -p ").append(cg).append("; echo $$ > ").append(cg).append("/cgroup.procs\n");
        }
        script.append("exec setsid systemd-nspawn -b --register=no --keep-unit -M ").append(name)
                .append(" --hostname=").append(name).append(" --console=passive -D ").append(rootDir())
                .append(" --network-namespace-path=/run/netns/").append(name).append(" < /dev/null\n");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script.toString())
                .redirectErrorStream(true)
                .redirectOutput(console().toFile());
        builder.environment().put("SYSTEMD_NSPAWN_UNIFIED_HIERARCHY", "1");
        nspawn = builder.start();
        return Files.readString(Path.of(hostKey + ".pub")).trim().replaceFirst("\\s+" + name + "$", "");
    }

    /** The last lines nspawn printed (the container's console), for failure messages. */
    String consoleTail(int lines) {
        try {
            List<String> all = Files.readAllLines(console(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no console output: " + e.getMessage() + ")";
        }
    }

    /** Asks the container to power off (SIGTERM to nspawn) without waiting, so many hosts stop in parallel. */
    void requestStop() {
        if (nspawn != null) {
            nspawn.destroy();
        }
    }

    /** Powers the container off (SIGTERM is a clean shutdown for nspawn) and removes every resource. */
    List<String> stop() {
        List<String> problems = new ArrayList<>();
        if (nspawn != null) {
            stopProcess(nspawn, problems);
            nspawn = null;
        }
        removeResources(problems);
        return problems;
    }

    private void stopProcess(Process process, List<String> problems) {
        try {
            process.destroy();
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                problems.add(name + ": nspawn ignored SIGTERM for " + STOP_GRACE + ", killed");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Removes what a previous run (killed before its teardown) left under this host's names. */
    private void removeLeftovers() {
        List<String> problems = new ArrayList<>();
        for (String h : CGROUP_HIERARCHIES) {
            Path procs = cgroup(h).resolve("cgroup.procs");
            for (String pid : readLines(procs)) {
                // Only processes inside our own tfh<N> cgroup: the nspawn and container of that earlier run.
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(p -> {
                    if (p.info().command().orElse("").endsWith("systemd-nspawn")) {
                        p.destroy();
                        p.onExit().orTimeout(STOP_GRACE.toSeconds(), TimeUnit.SECONDS).exceptionally(t -> null).join();
                    }
                });
            }
        }
        removeResources(problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("cannot clean up an earlier run's " + name + ": " + problems);
        }
    }

    private void removeResources(List<String> problems) {
        Path root = rootDir();
        if (isMountPoint(root)) {
            CommandResult umount = Command.of("umount", root.toString()).run();
            if (!umount.ok()) {
                // Busy only if a process still has it open; detach it so the next run is not blocked.
                problems.add(name + ": umount failed (" + umount.stderr().trim() + "), detached lazily");
                Command.of("umount", "-l", root.toString()).run();
            }
        }
        if (Files.exists(dir) && !isMountPoint(root)) {
            Command.of("rm", "-rf", "--one-file-system", dir.toString()).run();
        }
        for (String h : CGROUP_HIERARCHIES) {
            removeCgroupTree(cgroup(h), problems);
        }
        if (Files.exists(Path.of("/run/netns", name))) {
            CommandResult del = Command.of("ip", "netns", "del", name).run();
            if (!del.ok()) {
                problems.add(name + ": ip netns del: " + del.stderr().trim());
            }
        }
        // The veth normally dies with the namespace; a half-built start may have left our end.
        if (Files.exists(Path.of("/sys/class/net", "vh-" + name))) {
            Command.of("ip", "link", "del", "vh-" + name).run();
        }
    }

    private Path cgroup(String hierarchy) {
        return Path.of("/sys/fs/cgroup", hierarchy, "tailflow-test", name);
    }

    private static void removeCgroupTree(Path top, List<String> problems) {
        if (!Files.isDirectory(top)) {
            return;
        }
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(top)) {
            // Deepest first: a cgroup directory can only be removed once its children are gone.
            dirs = walk.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        } catch (IOException | UncheckedIOException e) {
            problems.add("cannot list " + top + ": " + e.getMessage());
            return;
        }
        for (Path d : dirs) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException e) {
                problems.add("cannot remove cgroup " + d + ": " + e);
            }
        }
        try {
            // The shared parent goes when the last host is gone; another run may still use it.
            Files.deleteIfExists(top.getParent());
        } catch (IOException e) {
            // not empty: some other host (ours or another test JVM's) is still running
        }
    }

    private static boolean isMountPoint(Path path) {
        return Command.of("mountpoint", "-q", path.toString()).run().ok();
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}

package tailflow.systemtest.hosts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import tailflow.systemtest.support.Machine;
import tailflow.systemtest.support.Need;
import tailflow.systemtest.support.Wait;

/**
 * K test hosts with a real systemd and sshd, booted in parallel with systemd-nspawn, torn down
 * on {@link #close()} (and by a JVM shutdown hook if a test run is interrupted). Use with
 * try-with-resources, one instance per test class:
 *
 * <pre>{@code
 * try (TestHosts hosts = TestHosts.boot(List.of(1, 2, 3))) {
 *     TestHost h = hosts.get(0);
 *     h.run("systemctl is-active ssh").requireOk();
 * }
 * }</pre>
 *
 * Host N lives in network namespace {@code tfh<N>} at {@code 10.200.N.2}; each caller picks Ns
 * no other concurrently running test uses. Needs root (mounts, netns, cgroups).
 */
public final class TestHosts implements AutoCloseable {

    /** Default bound for a host to reach {@code running}; 20 hosts take ~25 s on 2 cores. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(120);

    private final List<NspawnMachine> machines = new ArrayList<>();
    private final List<TestHost> hosts = new ArrayList<>();
    private final Path workRoot;
    private final Path knownHosts;
    private final Thread shutdownHook = new Thread(this::closeQuietly, "tailflow-test-hosts-teardown");
    private String savedInotifyLimit;
    private boolean closed;

    private TestHosts(Path workRoot) {
        this.workRoot = workRoot;
        this.knownHosts = workRoot.resolve("known_hosts-" + ProcessHandle.current().pid());
    }

    /** Boots one host per index with the cached image (built first if missing), waiting until all run. */
    public static TestHosts boot(List<Integer> indexes) {
        requireMachine();
        return boot(HostImage.prepare(), indexes, DEFAULT_READY_TIMEOUT);
    }

    /** Root (mounts, network namespaces, cgroups), nspawn, debootstrap for the image, ssh and ip. */
    private static void requireMachine() {
        Machine.require(Need.ROOT, Need.NSPAWN, Need.DEBOOTSTRAP, Need.SSH_CLIENT, Need.IPROUTE);
    }

    public static TestHosts boot(HostImage image, List<Integer> indexes, Duration readyTimeout) {
        for (int n : indexes) {
            if (n < 1 || n > 254) {
                throw new IllegalArgumentException("host index " + n + " is outside 1..254");
            }
        }
        requireMachine();
        Path workRoot = Path.of(System.getProperty("tailflow.test.hosts.dir", "/var/tmp/tailflow-test-hosts"));
        TestHosts hosts = new TestHosts(workRoot);
        Runtime.getRuntime().addShutdownHook(hosts.shutdownHook);
        try {
            hosts.start(image, indexes, readyTimeout);
            return hosts;
        } catch (RuntimeException | IOException | Error e) {
            List<String> problems = hosts.teardown();
            IllegalStateException failure = new IllegalStateException("booting test hosts " + indexes + " failed", e);
            problems.forEach(p -> failure.addSuppressed(new IllegalStateException(p)));
            throw failure;
        }
    }

    public List<TestHost> hosts() {
        return Collections.unmodifiableList(hosts);
    }

    public TestHost get(int i) {
        return hosts.get(i);
    }

    public int size() {
        return hosts.size();
    }

    /** A known_hosts file with the key of every host here (keys are fresh on each boot). */
    public Path knownHostsFile() {
        return knownHosts;
    }

    private void start(HostImage image, List<Integer> indexes, Duration readyTimeout) throws IOException {
        Files.createDirectories(workRoot);
        raiseInotifyLimit();
        List<String> knownLines = new ArrayList<>();
        for (int n : indexes) {
            NspawnMachine machine = new NspawnMachine(n, workRoot);
            machines.add(machine);
            String hostKey = machine.start(image);
            TestHost host = new TestHost(n, machine.rootDir(), image.privateKey(), knownHosts, hostKey);
            hosts.add(host);
            knownLines.add(host.knownHostsLine());
        }
        Files.write(knownHosts, knownLines);
        Instant deadline = Instant.now().plus(readyTimeout);
        for (int i = 0; i < hosts.size(); i++) {
            awaitRunning(hosts.get(i), machines.get(i), deadline, readyTimeout);
        }
    }

    /** Polls {@code systemctl is-system-running} over ssh until {@code running}, bounded by the deadline. */
    private static void awaitRunning(TestHost host, NspawnMachine machine, Instant deadline, Duration timeout) {
        String[] last = {""};
        Duration left = Duration.between(Instant.now(), deadline);
        Wait.upTo(left.isNegative() ? Duration.ZERO : left, host + " running (systemd) within " + timeout)
                .every(Duration.ofMillis(300)).until(() -> {
                    if (!machine.running()) {
                        throw new IllegalStateException(host + ": systemd-nspawn exited during boot:\n" + machine.consoleTail(30));
                    }
                    ExecResult state = host.run("systemctl is-system-running", Duration.ofSeconds(10));
                    last[0] = state.stdout().trim() + state.stderr().trim();
                    if (last[0].equals("degraded")) {
                        String failed = host.run("systemctl --failed --no-legend --plain").stdout();
                        throw new IllegalStateException(host + ": booted degraded; failed units:\n" + failed);
                    }
                    return last[0].equals("running");
                }, () -> "last answer: " + last[0] + "\nconsole:\n" + machine.consoleTail(30));
    }


    /**
     * Each container's systemd takes inotify instances from the same (root) budget, so the
     * default 128 runs out at ~16 hosts across all test JVMs. Raised to 1024 while hosts run;
     * restored by the last harness to stop (no tailflow-test cgroup left).
     */
    private void raiseInotifyLimit() throws IOException {
        Path limit = Path.of("/proc/sys/fs/inotify/max_user_instances");
        // Not Files.readString: /proc files report size 0 and it returned only the first byte ("1" of "128").
        try (var in = Files.newInputStream(limit)) {
            savedInotifyLimit = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
        }
        if (Integer.parseInt(savedInotifyLimit) < 1024) {
            Files.writeString(limit, "1024");
        } else {
            savedInotifyLimit = null;
        }
    }

    private static boolean otherHostsRunning() throws IOException {
        Path parent = Path.of("/sys/fs/cgroup/unified/tailflow-test");
        if (!Files.isDirectory(parent)) {
            return false;
        }
        try (var dirs = Files.list(parent)) {
            return dirs.anyMatch(Files::isDirectory);
        }
    }

    @Override
    public void close() {
        List<String> problems = teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("test host teardown was not clean:\n" + String.join("\n", problems));
        }
    }

    private void closeQuietly() {
        List<String> problems = teardown();
        problems.forEach(p -> System.err.println("tailflow test hosts: " + p));
    }

    /** Stops all machines at once (each poweroff takes ~2.5 s) and removes their resources. */
    private synchronized List<String> teardown() {
        if (closed) {
            return List.of();
        }
        closed = true;
        machines.forEach(NspawnMachine::requestStop);
        List<String> problems = machines.stream()
                .flatMap(m -> m.stop().stream())
                .collect(Collectors.toCollection(ArrayList::new));
        try {
            Files.deleteIfExists(knownHosts);
            if (savedInotifyLimit != null && Integer.parseInt(savedInotifyLimit) >= 128 && !otherHostsRunning()) {
                Files.writeString(Path.of("/proc/sys/fs/inotify/max_user_instances"), savedInotifyLimit);
            }
        } catch (IOException | UncheckedIOException e) {
            problems.add(e.toString());
        }
        return problems;
    }
}

package tailflow.systemtest.hosts;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tailflow.systemtest.support.Command;

/**
 * One booted test host: a systemd-nspawn container with systemd as PID 1 and sshd, alone in
 * network namespace {@code tfh<N>}, reachable from the test machine at {@code 10.200.N.2}.
 * The test machine's end of the veth is {@code 10.200.N.1} ({@link #gateway()}): bind a test
 * service (a Loki receiver, an sFlow collector) there and the host reaches it.
 */
public final class TestHost {

    private final int index;
    private final Path rootDir;
    private final Path privateKey;
    private final Path knownHosts;
    private final String hostKeyLine;

    TestHost(int index, Path rootDir, Path privateKey, Path knownHosts, String hostKeyLine) {
        this.index = index;
        this.rootDir = rootDir;
        this.privateKey = privateKey;
        this.knownHosts = knownHosts;
        this.hostKeyLine = hostKeyLine;
    }

    /** N, as in {@code tfh<N>} and {@code 10.200.N.2}. */
    public int index() {
        return index;
    }

    /** The host's name: its hostname inside, its machine name and its network namespace outside. */
    public String name() {
        return "tfh" + index;
    }

    /** The host's address, where its sshd listens on port 22. */
    public String address() {
        return "10.200." + index + ".2";
    }

    /** The test machine's address as the host sees it (its veth peer). */
    public String gateway() {
        return "10.200." + index + ".1";
    }

    /** An address in the host's subnet where nothing answers: for "host is down" tests. */
    public String deadAddress() {
        return "10.200." + index + ".3";
    }

    /** The SSH private key that logs in as root. */
    public Path privateKey() {
        return privateKey;
    }

    /** A known_hosts file holding the keys of every host of the same {@link TestHosts}. */
    public Path knownHostsFile() {
        return knownHosts;
    }

    /** This host's line for a known_hosts file ({@code 10.200.N.2 ssh-ed25519 AAAA...}). */
    public String knownHostsLine() {
        return address() + " " + hostKeyLine;
    }

    /**
     * The host's root directory as seen from the test machine (the merged overlay). Reading it is
     * the cheapest way to inspect files; files written here appear inside the host at once.
     */
    public Path rootDir() {
        return rootDir;
    }

    /** The ssh command line (without the remote command) that logs in as root, verifying the host key. */
    public List<String> sshCommand() {
        return List.of("ssh", "-F", "/dev/null", "-i", privateKey.toString(), "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "ConnectTimeout=3", "-o", "LogLevel=ERROR", "root@" + address());
    }

    /** Runs a shell command as root on the host (over ssh), with a 60 s deadline. */
    public ExecResult run(String command) {
        return run(command, Duration.ofSeconds(60));
    }

    public ExecResult run(String command, Duration timeout) {
        return run(command, new byte[0], timeout);
    }

    /** Runs a shell command as root with {@code stdin} as its input. */
    public ExecResult run(String command, byte[] stdin, Duration timeout) {
        List<String> argv = new ArrayList<>(sshCommand());
        argv.add("--");
        argv.add(command);
        return ExecResult.of(Command.of(argv).stdin(stdin).timeout(timeout).run());
    }

    /** Writes {@code content} to {@code path} on the host as root with the given octal mode. */
    public void putFile(String path, byte[] content, String mode) {
        String quoted = "'" + path.replace("'", "'\\''") + "'";
        run("mkdir -p \"$(dirname " + quoted + ")\" && cat > " + quoted + " && chmod " + mode + " " + quoted,
                content, Duration.ofSeconds(60)).requireOk();
    }

    public void putFile(String path, String content, String mode) {
        putFile(path, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Override
    public String toString() {
        return name() + "@" + address();
    }
}

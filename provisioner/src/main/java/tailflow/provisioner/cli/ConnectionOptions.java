package tailflow.provisioner.cli;

import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import tailflow.provisioner.ssh.KnownHosts;
import tailflow.provisioner.ssh.SshConfigFile;
import tailflow.provisioner.ssh.SshConnector;
import tailflow.provisioner.ssh.SshOptions;
import tailflow.provisioner.ssh.TargetResolver;

/** How to reach hosts: user, key, become, host key policy, timeouts, parallelism. */
public final class ConnectionOptions {

    @Option(names = {"-u", "--user"}, description = "login user when the inventory sets no ansible_user")
    String user;

    @Option(names = "--private-key", paramLabel = "FILE", description = "private key when the inventory sets none")
    Path privateKey;

    @Option(names = {"-b", "--become"}, description = "run privileged steps through sudo")
    boolean become;

    @Option(names = {"-K", "--ask-become-pass"}, description = "ask for the sudo password once (or read TAILFLOW_BECOME_PASSWORD)")
    boolean askBecomePass;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "known_hosts file checked besides ~/.ssh/known_hosts (and where new keys are recorded)")
    Path knownHosts;

    @Option(names = "--accept-new-host-keys", description = "record keys of hosts not yet known (a changed key is still refused)")
    boolean acceptNew;

    @Option(names = "--ssh-config", paramLabel = "FILE", description = "ssh client config (default ~/.ssh/config)")
    Path sshConfig;

    @Option(names = {"-T", "--timeout"}, paramLabel = "SECONDS", defaultValue = "10", description = "connect timeout (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--retries", defaultValue = "3", description = "connection attempts per host, with doubling backoff (default ${DEFAULT-VALUE})")
    int attempts;

    @Option(names = {"-f", "--forks"}, defaultValue = "10", description = "hosts handled in parallel (default ${DEFAULT-VALUE})")
    int forks;

    Path home() {
        return Path.of(System.getProperty("user.home"));
    }

    SshConnector connector() {
        Path defaultFile = home().resolve(".ssh/known_hosts");
        List<Path> files = new ArrayList<>();
        if (knownHosts != null) {
            files.add(knownHosts);
        }
        files.add(defaultFile);
        KnownHosts kh = new KnownHosts(files, knownHosts != null ? knownHosts : defaultFile, acceptNew);
        return new SshConnector(kh, new SshOptions(Duration.ofSeconds(timeoutSeconds), Math.max(1, attempts), Duration.ofSeconds(1)));
    }

    TargetResolver targets() {
        try {
            SshConfigFile cfg = SshConfigFile.read(sshConfig != null ? sshConfig : home().resolve(".ssh/config"), home());
            return new TargetResolver(cfg, home(), System.getProperty("user.name"), new TargetResolver.Defaults(
                    Optional.ofNullable(user), Optional.ofNullable(privateKey), become || askBecomePass, becomePassword()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ssh config: " + e.getMessage(), e);
        }
    }

    private Optional<char[]> becomePassword() {
        if (!askBecomePass) {
            return Optional.empty();
        }
        String env = System.getenv("TAILFLOW_BECOME_PASSWORD");
        if (env != null) {
            return Optional.of(env.toCharArray());
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("-K needs a terminal to ask for the password (or set TAILFLOW_BECOME_PASSWORD)");
        }
        return Optional.ofNullable(console.readPassword("BECOME password: "));
    }
}

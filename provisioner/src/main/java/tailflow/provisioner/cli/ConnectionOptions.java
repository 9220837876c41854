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
import tailflow.provisioner.ansiblecfg.AnsibleConfig;
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

    @Option(names = {"-T", "--timeout"}, paramLabel = "SECONDS", description = "connect timeout (default: ansible.cfg's timeout, else 10)")
    Integer timeoutSeconds;

    @Option(names = "--retries", defaultValue = "3", description = "connection attempts per host, with doubling backoff (default ${DEFAULT-VALUE})")
    int attempts;

    @Option(names = {"-f", "--forks"}, description = "hosts handled in parallel (default: ansible.cfg's forks, else 10)")
    Integer forks;

    @Option(names = "-v", description = "show the remote commands and their output per host; -vv also the whole scripts")
    boolean[] verbose = new boolean[0];

    private AnsibleConfig ansible;

    /** Opens shells to hosts, showing what runs on them at -v/-vv. */
    tailflow.provisioner.ssh.RemoteShell.Opener opener() {
        SshConnector connector = connector();
        return tailflow.provisioner.ssh.VerboseShell.wrap(connector::connect, verbose.length, System.out);
    }

    Path home() {
        return Path.of(System.getProperty("user.home"));
    }

    private AnsibleConfig ansible() {
        if (ansible == null) {
            ansible = AnsibleDefaults.load();
        }
        return ansible;
    }

    int forks() {
        return forks != null ? forks : ansible().forks().orElse(10);
    }

    private int timeout() {
        if (timeoutSeconds != null) {
            return timeoutSeconds;
        }
        return ansible().timeout().orElseGet(() -> ansible().sshOption("ConnectTimeout").map(Integer::parseInt).orElse(10));
    }

    /** host_key_checking = False (or ssh_args' StrictHostKeyChecking=no/accept-new): new keys are recorded; a changed key is still refused. */
    private boolean acceptNewKeys() {
        String strict = ansible().sshOption("StrictHostKeyChecking").orElse("").toLowerCase(java.util.Locale.ROOT);
        return acceptNew || ansible().hostKeyChecking().map(b -> !b).orElse(false) || strict.equals("no") || strict.equals("accept-new");
    }

    SshConnector connector() {
        Path defaultFile = ansible().sshOption("UserKnownHostsFile").map(f -> expandHome(f.split("\\s+")[0]))
                .orElse(home().resolve(".ssh/known_hosts"));
        List<Path> files = new ArrayList<>();
        if (knownHosts != null) {
            files.add(knownHosts);
        }
        files.add(defaultFile);
        KnownHosts kh = new KnownHosts(files, knownHosts != null ? knownHosts : defaultFile, acceptNewKeys());
        // ssh-agent's keys are offered first, as ssh does
        Optional<tailflow.provisioner.ssh.SshAgent> agent = Optional.ofNullable(System.getenv("SSH_AUTH_SOCK"))
                .filter(s -> !s.isBlank()).map(s -> new tailflow.provisioner.ssh.SshAgent(Path.of(s)));
        // the user's Kerberos ticket (KRB5CCNAME, KRB5_CONFIG), read only if a host has GSSAPIAuthentication
        Optional<tailflow.provisioner.ssh.KerberosLogin> kerberos = Optional.of(tailflow.provisioner.ssh.KerberosLogin
                .fromEnvironment(System.getenv(), new com.sun.security.auth.module.UnixSystem().getUid(), java.time.Clock.systemUTC()));
        return new SshConnector(kh, new SshOptions(Duration.ofSeconds(timeout()), Math.max(1, attempts), Duration.ofSeconds(1)),
                agent, kerberos);
    }

    private Path expandHome(String p) {
        return p.startsWith("~/") ? home().resolve(p.substring(2)) : Path.of(p);
    }

    TargetResolver targets() {
        try {
            SshConfigFile cfg = SshConfigFile.read(sshConfig != null ? sshConfig : home().resolve(".ssh/config"), home());
            return new TargetResolver(cfg, home(), System.getProperty("user.name"), new TargetResolver.Defaults(
                    Optional.ofNullable(user).or(ansible()::remoteUser), Optional.ofNullable(privateKey).or(ansible()::privateKeyFile),
                    become || askBecomePass || ansible().become().orElse(false), becomePassword(), ansible().sshArgs()));
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

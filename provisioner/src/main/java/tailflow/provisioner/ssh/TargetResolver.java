package tailflow.provisioner.ssh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tailflow.provisioner.inventory.InventoryHost;

/**
 * Turns an inventory host into an {@link SshTarget}, with Ansible's precedence: inventory vars
 * ({@code ansible_host}, {@code ansible_port}, {@code ansible_user},
 * {@code ansible_ssh_private_key_file}, {@code ansible_become}) over command-line defaults over
 * {@code ~/.ssh/config} over built-in defaults.
 */
public final class TargetResolver {

    /** Command-line defaults: empty/false when not given. */
    public record Defaults(Optional<String> user, Optional<Path> privateKey, boolean become, Optional<char[]> becomePassword) {}

    private final SshConfigFile sshConfig;
    private final Path home;
    private final String localUser;
    private final Defaults defaults;

    public TargetResolver(SshConfigFile sshConfig, Path home, String localUser, Defaults defaults) {
        this.sshConfig = sshConfig;
        this.home = home;
        this.localUser = localUser;
        this.defaults = defaults;
    }

    public SshTarget resolve(InventoryHost host) {
        Optional<String> ansibleHost = first(host, "ansible_host", "ansible_ssh_host");
        SshConfigFile.Entry cfg = sshConfig.lookup(ansibleHost.orElse(host.name()));
        String address = ansibleHost.or(cfg::hostName).orElse(host.name());
        int port = first(host, "ansible_port", "ansible_ssh_port").map(p -> parsePort(host, p))
                .or(cfg::port).orElse(22);
        String user = first(host, "ansible_user", "ansible_ssh_user").or(defaults::user).or(cfg::user).orElse(localUser);
        List<Path> keys = new ArrayList<>();
        first(host, "ansible_ssh_private_key_file", "ansible_private_key_file").map(this::expand).ifPresent(keys::add);
        defaults.privateKey().ifPresent(keys::add);
        keys.addAll(cfg.identityFiles());
        for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            keys.add(home.resolve(".ssh").resolve(name));
        }
        boolean become = host.flag("ansible_become", defaults.become());
        Optional<char[]> password = first(host, "ansible_become_password", "ansible_become_pass")
                .map(String::toCharArray).or(defaults::becomePassword);
        return new SshTarget(host.name(), address, port, user, keys.stream().distinct().toList(), become, password);
    }

    private Path expand(String path) {
        return path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
    }

    private static Optional<String> first(InventoryHost host, String... keys) {
        for (String k : keys) {
            Optional<String> v = host.string(k).filter(s -> !s.isBlank());
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    private static int parsePort(InventoryHost host, String p) {
        try {
            int port = Integer.parseInt(p.strip());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw host.invalid("ansible_port", "'" + p + "' is not a port number");
    }
}

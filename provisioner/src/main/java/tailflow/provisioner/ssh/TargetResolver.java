package tailflow.provisioner.ssh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tailflow.provisioner.ansiblecfg.ShellWords;
import tailflow.provisioner.inventory.InventoryHost;

/**
 * Turns an inventory host into an {@link SshTarget}, with Ansible's precedence: inventory vars
 * ({@code ansible_host}, {@code ansible_port}, {@code ansible_user},
 * {@code ansible_ssh_private_key_file}, {@code ansible_become}) over command-line defaults over
 * {@code ~/.ssh/config} over built-in defaults.
 */
public final class TargetResolver {

    /** Command-line defaults: empty/false when not given. */
    public record Defaults(Optional<String> user, Optional<Path> privateKey, boolean become, Optional<char[]> becomePassword,
                           List<String> sshArgs) {
        public Defaults(Optional<String> user, Optional<Path> privateKey, boolean become, Optional<char[]> becomePassword) {
            this(user, privateKey, become, becomePassword, List.of());
        }
    }

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
        List<Path> distinctKeys = keys.stream().distinct().toList();
        Optional<String> jumpSpec = proxyJump(defaults.sshArgs())
                .or(() -> host.string("ansible_ssh_common_args").flatMap(a -> proxyJump(ShellWords.split(a))))
                .or(() -> host.string("ansible_ssh_extra_args").flatMap(a -> proxyJump(ShellWords.split(a))))
                .or(cfg::proxyJump);
        Optional<SshTarget> jump = jumpSpec.filter(s -> !s.equalsIgnoreCase("none")).map(s -> hops(s, distinctKeys, 0));
        // as ssh: the first value on the command line wins over the config; ssh's own default is "no"
        boolean kerberos = sshOption(host, "GSSAPIAuthentication").or(cfg::gssapiAuthentication)
                .map(v -> sshFlag("host " + host.name(), "GSSAPIAuthentication", v)).orElse(false);
        Optional<String> serverIdentity = sshOption(host, "GSSAPIServerIdentity").or(cfg::gssapiServerIdentity);
        return new SshTarget(host.name(), address, port, user, distinctKeys, become, password, jump, kerberos, serverIdentity);
    }

    /** An ssh option from the command lines Ansible builds: ansible.cfg's ssh_args, then common, then extra args. */
    private Optional<String> sshOption(InventoryHost host, String name) {
        return option(defaults.sshArgs(), name)
                .or(() -> host.string("ansible_ssh_common_args").flatMap(a -> option(ShellWords.split(a), name)))
                .or(() -> host.string("ansible_ssh_extra_args").flatMap(a -> option(ShellWords.split(a), name)));
    }

    /** GSSAPIAuthentication in ssh arguments: {@code -o GSSAPIAuthentication=yes}, or {@code -K} (which also delegates). */
    static Optional<String> gssapi(List<String> args) {
        return option(args, "GSSAPIAuthentication");
    }

    /** The first {@code -o NAME=value} in ssh arguments ({@code -K} counts as GSSAPIAuthentication=yes). */
    static Optional<String> option(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("-K") && name.equals("GSSAPIAuthentication")) {
                return Optional.of("yes");
            }
            Optional<String> value = option(args, i, name);
            if (value.isPresent()) {
                return value;
            }
            if (args.get(i).equals("-o")) {
                i++;
            }
        }
        return Optional.empty();
    }

    /** An ssh yes/no option as ssh reads it (yes/true, no/false, any case). */
    private static boolean sshFlag(String where, String option, String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw new IllegalArgumentException(where + ": ssh option " + option + " is '" + value
                    + "', expected yes or no");
        };
    }

    /** The value of {@code -o NAME=value}, {@code -o "NAME value"} or {@code -oNAME=value} at {@code args[i]}. */
    private static Optional<String> option(List<String> args, int i, String name) {
        String a = args.get(i);
        String opt = a.equals("-o") && i + 1 < args.size() ? args.get(i + 1) : a.startsWith("-o") ? a.substring(2) : null;
        if (opt != null) {
            String[] kv = opt.strip().split("\\s*=\\s*|\\s+", 2);
            if (kv.length == 2 && kv[0].equalsIgnoreCase(name)) {
                return Optional.of(kv[1]);
            }
        }
        return Optional.empty();
    }

    /** The ProxyJump of ssh arguments: {@code -J spec}, {@code -o ProxyJump=spec}, {@code -oProxyJump spec}; the first wins, as in ssh. */
    static Optional<String> proxyJump(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-J") && i + 1 < args.size()) {
                return Optional.of(args.get(i + 1));
            }
            Optional<String> value = option(args, i, "ProxyJump");
            if (value.isPresent()) {
                return value;
            }
            if (a.equals("-o")) {
                i++;
            }
        }
        return Optional.empty();
    }

    /**
     * {@code [user@]host[:port][,...]} as ssh -J reads it: the first hop is connected to first, each
     * next one through the one before, the target through the last. Each hop's HostName, User,
     * Port, IdentityFile (and, for the first, its own ProxyJump) come from the ssh config.
     */
    private SshTarget hops(String spec, List<Path> targetKeys, int depth) {
        if (depth > 8) {
            throw new IllegalArgumentException("ProxyJump " + spec + ": more than 8 hops (a loop in ~/.ssh/config?)");
        }
        List<String> chain = List.of(spec.split(","));
        SshTarget previous = null;
        for (String hop : chain) {
            String h = hop.strip();
            String hopUser = null;
            int at = h.lastIndexOf('@');
            if (at > 0) {
                hopUser = h.substring(0, at);
                h = h.substring(at + 1);
            }
            Integer hopPort = null;
            int colon = h.lastIndexOf(':');
            if (colon > 0 && h.indexOf(':') == colon) {
                try {
                    hopPort = Integer.parseInt(h.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("ProxyJump " + spec + ": '" + hop + "' has no valid port");
                }
                h = h.substring(0, colon);
            }
            SshConfigFile.Entry cfg = sshConfig.lookup(h);
            List<Path> keys = new ArrayList<>(cfg.identityFiles());
            keys.addAll(targetKeys);
            Optional<SshTarget> outer = Optional.ofNullable(previous);
            if (previous == null && cfg.proxyJump().filter(s -> !s.equalsIgnoreCase("none")).isPresent()) {
                outer = Optional.of(hops(cfg.proxyJump().get(), targetKeys, depth + 1));
            }
            previous = new SshTarget("jump " + h, cfg.hostName().orElse(h), hopPort != null ? hopPort : cfg.port().orElse(22),
                    hopUser != null ? hopUser : cfg.user().orElse(localUser), keys.stream().distinct().toList(), false,
                    Optional.empty(), outer,
                    // ssh logs in to a jump host with a separate ssh: only the config's value counts
                    cfg.gssapiAuthentication().map(v -> sshFlag("jump host " + hop.strip(), "GSSAPIAuthentication", v)).orElse(false),
                    cfg.gssapiServerIdentity());
        }
        return previous;
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

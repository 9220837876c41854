package tailflow.provisioner.ansiblecfg;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The settings of an {@code ansible.cfg} the provisioner honours, after Ansible's environment
 * overrides ({@code ANSIBLE_INVENTORY} and friends). Every field is empty when neither says
 * anything; the command line still wins over all of them.
 *
 * @param source          the file read, if one was found
 * @param inventory       {@code [defaults] inventory}: sources, relative paths resolved against the file's directory
 * @param hostKeyChecking {@code false} means: record keys of new hosts (a changed key is still refused)
 * @param sshArgs         {@code [ssh_connection] ssh_args}, split into words as a shell would
 */
public record AnsibleConfig(Optional<Path> source, List<Path> inventory, Optional<String> remoteUser,
                            Optional<Path> privateKeyFile, Optional<Integer> forks, Optional<Boolean> hostKeyChecking,
                            Optional<Integer> timeout, Optional<Boolean> become, Optional<String> becomeUser,
                            List<String> sshArgs) {

    public AnsibleConfig {
        inventory = List.copyOf(inventory);
        sshArgs = List.copyOf(sshArgs);
    }

    public static AnsibleConfig none() {
        return new AnsibleConfig(Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    /** The value of {@code -o NAME=value} (or {@code -o NAME value}) in {@link #sshArgs}, the first one as ssh takes it. */
    public Optional<String> sshOption(String name) {
        for (int i = 0; i < sshArgs.size(); i++) {
            String a = sshArgs.get(i);
            String opt = a.equals("-o") && i + 1 < sshArgs.size() ? sshArgs.get(++i) : a.startsWith("-o") ? a.substring(2) : null;
            if (opt == null) {
                continue;
            }
            String[] kv = opt.strip().split("\\s*=\\s*|\\s+", 2);
            if (kv.length == 2 && kv[0].equalsIgnoreCase(name)) {
                return Optional.of(kv[1]);
            }
        }
        return Optional.empty();
    }
}

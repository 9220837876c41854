package tailflow.provisioner.cli;

import java.nio.file.Path;
import tailflow.provisioner.ansiblecfg.AnsibleConfig;
import tailflow.provisioner.ansiblecfg.AnsibleConfigLoader;

/** The ansible.cfg (and ANSIBLE_* environment) that fills in what the command line leaves open. */
final class AnsibleDefaults {

    private AnsibleDefaults() {}

    static AnsibleConfig load() {
        // Python's expanduser, as Ansible uses it: $HOME first (the JVM's user.home is the passwd entry).
        String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
        return new AnsibleConfigLoader(System.getenv(), Path.of("").toAbsolutePath(), Path.of(home),
                w -> System.err.println("[WARNING]: " + w)).load();
    }
}

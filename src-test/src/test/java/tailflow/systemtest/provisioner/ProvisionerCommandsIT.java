package tailflow.systemtest.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tailflow.systemtest.hosts.TestHost;
import tailflow.systemtest.hosts.TestHosts;
import tailflow.systemtest.support.Command;
import tailflow.systemtest.support.Wait;

/**
 * The provisioner's ways in and its smaller commands against one real host: a key that only a
 * real ssh-agent holds, {@code sflow-groups} from the host and from the inventory, and {@code -v}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisionerCommandsIT {

    private TestHosts hosts;
    private TestHost h;
    private Path work;
    private Path home;
    private Path inventory;

    @BeforeAll
    void boot() throws IOException {
        work = Files.createTempDirectory("provisioner-commands-it");
        hosts = TestHosts.boot(List.of(31));
        h = hosts.get(0);
        home = Files.createDirectories(work.resolve("home"));
        inventory = work.resolve("hosts.ini");
        Files.writeString(inventory, "[agents]\n" + h.name() + " ansible_host=" + h.address() + " ansible_user=root\n"
                + "[lab:children]\nagents\n");
    }

    @AfterAll
    void teardown() throws IOException {
        try {
            if (hosts != null) {
                hosts.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private List<String> args(String... more) {
        List<String> a = new java.util.ArrayList<>(List.of(more));
        a.addAll(List.of("-i", inventory.toString(), "--known-hosts", hosts.knownHostsFile().toString()));
        return a;
    }

    /** The inventory names no key and the home directory has none: the agent's key is the only way in. */
    @Test
    void aKeyHeldOnlyBySshAgentLogsIn() throws Exception {
        Path socket = work.resolve("agent.sock");
        // -D: in the foreground, so this test owns the process and ends it
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("agent.log").toFile()).start();
        try {
            Wait.upTo(Duration.ofSeconds(10), "ssh-agent's socket " + socket).until(() -> {
                if (!agent.isAlive()) {
                    throw new IllegalStateException("ssh-agent exited: " + Files.readString(work.resolve("agent.log")));
                }
                return Files.exists(socket);
            });
            Command.shell("SSH_AUTH_SOCK='" + socket + "' ssh-add '" + h.privateKey() + "'").run().requireOk();
            ProvisionerRun withAgent = ProvisionerRun.run(home, args("facts"), Map.of("SSH_AUTH_SOCK", socket.toString()));
            assertThat(withAgent.exitCode()).as(withAgent.output()).isZero();
            assertThat(withAgent.output()).contains(h.name()).contains("x86_64");
        } finally {
            agent.destroy();
            agent.onExit().get();
        }
        ProvisionerRun without = ProvisionerRun.run(home, args("facts"));
        assertThat(without.exitCode()).isEqualTo(4);
        assertThat(without.output()).contains("no usable private key").contains("SSH_AUTH_SOCK is not set");
    }

    /**
     * A second sshd on the host listens on its loopback only: reachable through the host as a jump
     * host and from nowhere else. ProxyJump from ansible_ssh_common_args and from ~/.ssh/config;
     * the jump host's key is checked as strictly as the target's.
     */
    @Test
    void proxyJumpReachesAHostOnlyTheBastionCanReach() throws Exception {
        h.run("/usr/sbin/sshd -p 2222 -o ListenAddress=127.0.0.1 -o PidFile=/run/sshd-2222.pid").requireOk();
        String hostKey = h.knownHostsLine().substring(h.address().length());
        Path known = work.resolve("jump_known_hosts");
        Files.writeString(known, h.knownHostsLine() + "\n[127.0.0.1]:2222" + hostKey + "\n");
        Path inv = work.resolve("jump.ini");
        Files.writeString(inv, "inner ansible_host=127.0.0.1 ansible_port=2222 ansible_user=root"
                + " ansible_ssh_common_args='-o ProxyJump=root@" + h.address() + "'\n"
                + "direct ansible_host=127.0.0.1 ansible_port=2222 ansible_user=root\n"
                + "alias ansible_user=root\n");
        Path sshDir = Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(sshDir.resolve("config"), "Host alias\n  HostName 127.0.0.1\n  Port 2222\n  ProxyJump root@"
                + h.address() + "\n");
        try {
            List<String> base = List.of("facts", "-i", inv.toString(), "--known-hosts", known.toString(),
                    "--private-key", h.privateKey().toString(), "--timeout", "3", "--retries", "1");
            ProvisionerRun jumped = ProvisionerRun.run(home, with(base, "--limit", "inner,alias"));
            assertThat(jumped.exitCode()).as(jumped.output()).isZero();
            assertThat(jumped.output()).containsPattern("inner +ok +" + h.name()).containsPattern("alias +ok +" + h.name());
            ProvisionerRun direct = ProvisionerRun.run(home, with(base, "--limit", "direct"));
            assertThat(direct.exitCode()).isEqualTo(4);

            Files.writeString(known, "[127.0.0.1]:2222" + hostKey + "\n");
            ProvisionerRun unknownJump = ProvisionerRun.run(home, with(base, "--limit", "inner"));
            assertThat(unknownJump.exitCode()).isEqualTo(4);
            assertThat(unknownJump.output()).contains("jump host root@" + h.address())
                    .contains("host key of " + h.address() + " is not known");
        } finally {
            Files.deleteIfExists(sshDir.resolve("config"));
            h.run("kill $(cat /run/sshd-2222.pid)");
        }
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void sflowGroupsFromTheHostAndFromTheInventory() throws Exception {
        List<String> a = args("sflow-groups", "--private-key", h.privateKey().toString());
        ProvisionerRun fromHost = ProvisionerRun.run(home, a);
        assertThat(fromHost.exitCode()).as(fromHost.output()).isZero();
        // the host's only non-loopback address is the agent address the agent itself would choose
        String expected = """
                {
                    "INTERNET": ["0.0.0.0/0"],
                    "agents": ["%1$s/32"],
                    "lab": ["%1$s/32"]
                }
                """.formatted(h.address());
        assertThat(fromHost.output()).contains(expected);
        Path out = work.resolve("groups.json");
        List<String> noFacts = new java.util.ArrayList<>(a);
        noFacts.addAll(List.of("--no-facts", "--group", "lab", "-o", out.toString()));
        assertThat(ProvisionerRun.run(home, noFacts).exitCode()).isZero();
        assertThat(Files.readString(out)).isEqualTo("{\n    \"INTERNET\": [\"0.0.0.0/0\"],\n    \"lab\": [\"" + h.address() + "/32\"]\n}\n");
    }

    @Test
    void verboseShowsTheRemoteCommandsAndTheirOutput() throws Exception {
        ProvisionerRun v = ProvisionerRun.run(home, args("status", "-v", "--private-key", h.privateKey().toString()));
        assertThat(v.output()).contains("[" + h.name() + "] $ sh -c 'port=").contains("[" + h.name() + "] | unit_ActiveState=")
                .contains("[" + h.name() + "] exit 0");
        ProvisionerRun vv = ProvisionerRun.run(home, args("status", "-vv", "--private-key", h.privateKey().toString()));
        assertThat(vv.output()).contains("[" + h.name() + "] $ sh -c <<'SCRIPT'").contains("[" + h.name() + "] get() {");
    }
}

package tailflow.systemtest.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The harness itself: hosts boot with systemd + sshd, are isolated, reach the test machine, leave nothing behind. */
class HostsIT {

    @Test
    void bootsTwoHostsThatRunSystemdAndSshAndTearsEverythingDown() throws Exception {
        List<Path> leftovers;
        try (TestHosts hosts = TestHosts.boot(List.of(1, 2))) {
            TestHost first = hosts.get(0);
            TestHost second = hosts.get(1);

            assertThat(first.run("systemctl is-system-running").requireOk().stdout().trim()).isEqualTo("running");
            assertThat(first.run("hostname").requireOk().stdout().trim()).isEqualTo("tfh1");
            assertThat(second.run("hostname").requireOk().stdout().trim()).isEqualTo("tfh2");
            assertThat(first.run("java -version 2>&1").requireOk().stdout()).contains("17.");
            // Each host has its own systemd (own machine id, generated at first boot).
            assertThat(first.run("cat /etc/machine-id").stdout()).isNotEqualTo(second.run("cat /etc/machine-id").stdout());

            // Files written through rootDir() appear inside the host, and putFile works the other way.
            Files.writeString(first.rootDir().resolve("var/tmp/from-outside"), "hello\n");
            assertThat(first.run("cat /var/tmp/from-outside").requireOk().stdout()).isEqualTo("hello\n");
            first.putFile("/etc/tailflow-probe/x.txt", "inside\n", "0640");
            assertThat(Files.readString(first.rootDir().resolve("etc/tailflow-probe/x.txt"))).isEqualTo("inside\n");

            // A service bound at the gateway address is reachable from the host.
            try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName(first.gateway()))) {
                CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                    try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                first.run("echo ping > /dev/tcp/" + first.gateway() + "/" + server.getLocalPort(), Duration.ofSeconds(20))
                        .requireOk();
                assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo("ping\n");
            }
            // The hosts cannot see each other's network: separate namespaces, separate /24s.
            assertThat(first.run("timeout 5 bash -c 'echo x > /dev/tcp/" + second.address() + "/22' 2>&1; echo rc=$?",
                    Duration.ofSeconds(20)).stdout()).contains("Network is unreachable").contains("rc=1");
            leftovers = List.of(Path.of("/run/netns/tfh1"), Path.of("/run/netns/tfh2"), first.rootDir(),
                    Path.of("/sys/fs/cgroup/unified/tailflow-test/tfh1"), Path.of("/sys/fs/cgroup/systemd/tailflow-test/tfh2"));
            assertThat(leftovers).allMatch(Files::exists);
        }
        assertThat(leftovers).noneMatch(Files::exists);
        assertThat(Files.exists(Path.of("/sys/class/net/vh-tfh1"))).isFalse();
    }
}

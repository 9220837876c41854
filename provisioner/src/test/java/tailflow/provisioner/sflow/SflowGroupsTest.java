package tailflow.provisioner.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SflowGroupsTest {

    @TempDir
    Path tmp;

    @Test
    void theLabsLayoutWithInternetFirst() throws IOException {
        SflowGroups g = new SflowGroups();
        g.add("web", List.of(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"), InetAddress.getByName("10.0.0.1")));
        g.add("v6", List.of(InetAddress.getByName("fd00::5")));
        assertThat(g.json()).isEqualTo("""
                {
                    "INTERNET": ["0.0.0.0/0"],
                    "web": ["10.0.0.1/32", "10.0.0.2/32"],
                    "v6": ["fd00:0:0:0:0:0:0:5/128"]
                }
                """);
        Path file = tmp.resolve("groups.json");
        Files.writeString(file, "old");
        g.writeAtomically(file);
        assertThat(Files.readString(file)).isEqualTo(g.json());
        try (var left = Files.list(tmp)) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void theAgentAddressIsTheOneTheAgentWouldChoose() throws IOException {
        Map<String, String> lines = Map.of(
                "addr_1", "1 lo 127.0.0.1",
                "addr_2", "1 lo ::1",
                "addr_3", "2 eth0@if7 10.200.21.2",
                "addr_4", "2 eth0@if7 fe80::1",
                "addr_5", "3 eth1 192.0.2.10",
                "other", "noise");
        // a public IPv4 address outranks a private one, as in hsflowd
        assertThat(SflowGroups.agentAddress(lines)).contains(InetAddress.getByName("192.0.2.10"));
        assertThat(SflowGroups.agentAddress(Map.of("addr_1", "1 lo 127.0.0.1", "addr_2", "2 eth0 10.1.2.3")))
                .contains(InetAddress.getByName("10.1.2.3"));
        assertThat(SflowGroups.agentAddress(Map.of())).isEmpty();
    }
}

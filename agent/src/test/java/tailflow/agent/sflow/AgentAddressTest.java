package tailflow.agent.sflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tailflow.agent.config.SflowConfig;

class AgentAddressTest {

    static NetInterface iface(String name, int index, String... addrs) {
        List<InetAddress> a = Arrays.stream(addrs).map(s -> {
            try {
                return InetAddress.getByName(s);
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        }).toList();
        return new NetInterface(name, index, index, 1, -1, 0, true, true, false, Optional.empty(), a);
    }

    static SflowConfig cfg(String cidr, String dev) {
        return new SflowConfig(Optional.ofNullable(cidr), Optional.ofNullable(dev), 20, 400, Map.of(), 128, 1400,
                List.of(), List.of(), false);
    }

    final List<NetInterface> host = List.of(
            iface("lo", 1, "127.0.0.1", "::1"),
            iface("eth0", 2, "fe80::1", "169.254.3.4", "192.168.1.5", "fd00::5"),
            iface("eth1", 3, "203.0.113.7", "2001:db8::7"),
            iface("eth2", 4, "10.201.0.9"));

    @Test
    void publicIpv4BeatsPrivateBeatsLinkLocalBeatsLoopback() {
        assertThat(AgentAddress.choose(cfg(null, null), host).orElseThrow().address().getHostAddress())
                .isEqualTo("203.0.113.7");
        assertThat(AgentAddress.choose(cfg(null, null), host.subList(0, 2)).orElseThrow().address().getHostAddress())
                .isEqualTo("192.168.1.5");
        assertThat(AgentAddress.choose(cfg(null, null), List.of(host.get(0), iface("x", 5, "169.254.1.1")))
                .orElseThrow().address().getHostAddress()).isEqualTo("169.254.1.1");
        assertThat(AgentAddress.choose(cfg(null, null), host.subList(0, 1)).orElseThrow().address().getHostAddress())
                .isEqualTo("127.0.0.1");
        assertThat(AgentAddress.choose(cfg(null, null), List.of())).isEmpty();
    }

    @Test
    void agentInterfaceRaisesItsAddressesAndCidrRaisesHigher() {
        AgentAddress byDev = AgentAddress.choose(cfg(null, "eth2"), host).orElseThrow();
        assertThat(byDev.address().getHostAddress()).isEqualTo("10.201.0.9");
        assertThat(byDev.why()).isEqualTo("agent = eth2");
        AgentAddress byCidr = AgentAddress.choose(cfg("192.168.0.0/16", "eth2"), host).orElseThrow();
        assertThat(byCidr.address().getHostAddress()).isEqualTo("192.168.1.5");
        assertThat(byCidr.ifName()).isEqualTo("eth0");
        AgentAddress v6 = AgentAddress.choose(cfg("fd00::/8", null), host).orElseThrow();
        assertThat(v6.address().getHostAddress()).isEqualTo("fd00:0:0:0:0:0:0:5");
        assertThat(v6.ipv6()).isTrue();
    }

    @Test
    void badCidrSaysWhatIsExpected() {
        assertThatThrownBy(() -> Cidr.parse("lan")).hasMessageContaining("agent.cidr 'lan'");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length 33");
        assertThat(Cidr.parse("10.201.0.0/16").contains(InetAddress.getLoopbackAddress())).isFalse();
    }
}

package tailflow.agent.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterfaceScannerTest {

    @Test
    void readsSysfsAttributesAndConvertsSpeedToBitsPerSecond(@TempDir Path dir) throws Exception {
        SysfsTree sys = new SysfsTree(dir)
                .ethernet("eth0", 2, "1000", "02:00:00:00:00:01")
                .ethernet("veth9", 7, "10000", "0a:0b:0c:0d:0e:0f")
                .iface("lo", Map.of("ifindex", "1", "iflink", "1", "type", "772", "operstate", "unknown",
                        "flags", "0x9", "address", "00:00:00:00:00:00"))
                .iface("wg0", Map.of("ifindex", "9", "iflink", "9", "type", "65534", "speed", "-1",
                        "operstate", "down", "flags", "0x1190", "address", ""));
        Files.writeString(dir.resolve("class/net/veth9/iflink"), "8\n");
        InetAddress a = InetAddress.getByName("10.201.0.1");
        List<NetInterface> found = new InterfaceScanner(dir, n -> n.equals("eth0") ? List.of(a) : List.of()).scan();

        assertThat(found).extracting(NetInterface::name).containsExactly("lo", "eth0", "veth9", "wg0");
        NetInterface lo = found.get(0);
        assertThat(lo.loopback()).isTrue();
        assertThat(lo.speedKnown()).as("no speed file, as the EINVAL read on lo").isFalse();
        NetInterface eth0 = found.get(1);
        assertThat(eth0.speedBps()).isEqualTo(1_000_000_000L);
        assertThat(eth0.ifDirection()).isEqualTo(1);
        assertThat(eth0.adminUp()).isTrue();
        assertThat(eth0.operUp()).isTrue();
        assertThat(eth0.mac()).contains(new MacAddress(0x020000000001L));
        assertThat(eth0.addresses()).containsExactly(a);
        assertThat(eth0.pairedPeer()).isFalse();
        NetInterface veth = found.get(2);
        assertThat(veth.speedBps()).isEqualTo(10_000_000_000L);
        assertThat(veth.pairedPeer()).isTrue();
        NetInterface wg = found.get(3);
        assertThat(wg.speedKnown()).as("-1 means unknown").isFalse();
        assertThat(wg.operUp()).isFalse();
        assertThat(wg.promiscuous()).isTrue();
        assertThat(wg.mac()).isEmpty();
    }

    /** What makes the pipeline scan in full before the minute is up: an interface comes, goes or changes state. */
    @Test
    void fingerprintChangesWithInterfacesAndStatesNotWithCounters(@TempDir Path dir) throws Exception {
        new SysfsTree(dir).ethernet("eth0", 2, "1000", "02:00:00:00:00:01");
        InterfaceScanner scanner = new InterfaceScanner(dir, n -> List.of());
        String first = scanner.fingerprint();
        Files.writeString(dir.resolve("class/net/eth0/speed"), "10000\n");
        assertThat(scanner.fingerprint()).as("a speed change waits for the full scan").isEqualTo(first);
        Files.writeString(dir.resolve("class/net/eth0/operstate"), "down\n");
        String down = scanner.fingerprint();
        assertThat(down).isNotEqualTo(first);
        new SysfsTree(dir).ethernet("eth1", 3, "1000", "02:00:00:00:00:02");
        assertThat(scanner.fingerprint()).isNotEqualTo(down).contains("eth1=");
    }

    @Test
    void scansTheRunningSystemsSysfs() throws Exception {
        List<NetInterface> found = new InterfaceScanner(Path.of("/sys"), InterfaceScanner.AddressSource.system()).scan();
        assertThat(found).anySatisfy(i -> {
            assertThat(i.name()).isEqualTo("lo");
            assertThat(i.loopback()).isTrue();
            assertThat(i.speedKnown()).isFalse();
            assertThat(i.addresses()).anyMatch(InetAddress::isLoopbackAddress);
        });
    }

    @Test
    void macAddressParsesAndPrints() {
        assertThat(MacAddress.parse("02:FC:00:00:00:01")).map(MacAddress::toString).contains("02:fc:00:00:00:01");
        assertThat(MacAddress.parse("00:11:22")).isEmpty();
        assertThat(MacAddress.parse("zz:11:22:33:44:55")).isEmpty();
        assertThat(new MacAddress(0x0a0b0c0d0e0fL).bytes()).containsExactly(10, 11, 12, 13, 14, 15);
    }
}

package tailflow.agent.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PacketCounterTest {

    @Test
    void anInterfacesPoolIsWhatItReceivedAndSent() throws Exception {
        try (PacketCounter c = new PacketCounter(tree(), "eth0", false)) {
            assertThat(c.packets()).isEqualTo(1000 + 234);
        }
    }

    /** lo counts each packet as received and as sent; a capture on lo sees it once. */
    @Test
    void loopbacksPoolCountsEachPacketOnce() throws Exception {
        try (PacketCounter c = new PacketCounter(tree(), "lo", true)) {
            assertThat(c.packets()).isEqualTo(500);
        }
    }

    @Test
    void aVanishedInterfaceReadsMinusOne() throws Exception {
        Path root = tree();
        PacketCounter c = new PacketCounter(root, "eth0", false);
        Files.writeString(root.resolve("class/net/eth0/statistics/rx_packets"), "gone\n");
        assertThat(c.packets()).isEqualTo(-1);
        c.close();
    }

    @TempDir
    Path dir;

    private Path tree() {
        return new SysfsTree(dir)
                .iface("eth0", Map.of("statistics/rx_packets", "1000", "statistics/tx_packets", "234"))
                .iface("lo", Map.of("statistics/rx_packets", "500", "statistics/tx_packets", "500"))
                .root();
    }
}

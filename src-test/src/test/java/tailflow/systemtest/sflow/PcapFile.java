package tailflow.systemtest.sflow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes received sFlow datagrams as a pcap file (LINKTYPE_RAW: IPv4 + UDP around each payload,
 * 127.0.0.1 -> 127.0.0.1:port) so tshark can decode exactly what the collector got.
 */
final class PcapFile {
    private PcapFile() {}

    static void write(Path file, List<byte[]> payloads, int port) throws IOException {
        int size = 24;
        for (byte[] p : payloads) {
            size += 16 + 28 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65_535).putInt(101);
        int sec = 1_700_000_000;
        for (byte[] p : payloads) {
            int len = 28 + p.length;
            b.order(ByteOrder.LITTLE_ENDIAN).putInt(sec++).putInt(0).putInt(len).putInt(len);
            b.order(ByteOrder.BIG_ENDIAN);
            int start = b.position();
            b.put((byte) 0x45).put((byte) 0).putShort((short) len).putShort((short) 0).putShort((short) 0)
                    .put((byte) 64).put((byte) 17).putShort((short) 0)
                    .put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
            b.putShort(start + 10, checksum(b.array(), start, 20));
            b.putShort((short) 40000).putShort((short) port).putShort((short) (8 + p.length)).putShort((short) 0);
            b.put(p);
        }
        Files.write(file, b.array());
    }

    private static short checksum(byte[] a, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += ((a[off + i] & 0xFF) << 8) | (a[off + i + 1] & 0xFF);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (short) ~sum;
    }
}

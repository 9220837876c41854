package tailflow.systemtest.arm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The UDP payloads of a classic pcap file written by tcpdump on an Ethernet-framed interface
 * (Linux lo is DLT_EN10MB), IPv4 only: how sFlow recorded inside the VM gets to our decoder.
 * A file cut short by a capture still running ends at its last whole packet.
 */
final class PcapReader {
    private static final int LINKTYPE_ETHERNET = 1;

    private PcapReader() {}

    static List<byte[]> udpPayloads(Path pcap) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap));
        if (b.remaining() < 24) {
            return List.of();
        }
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != 0xa1b2c3d4) {
                throw new IOException(pcap + " is not a microsecond pcap file");
            }
        }
        if (b.getInt(20) != LINKTYPE_ETHERNET) {
            throw new IOException(pcap + " has link type " + b.getInt(20) + ", expected Ethernet");
        }
        List<byte[]> payloads = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= b.limit()) {
            int captured = b.getInt(pos + 8);
            int frame = pos + 16;
            if (frame + captured > b.limit()) {
                break;
            }
            byte[] data = Arrays.copyOfRange(b.array(), frame, frame + captured);
            udpOverIpv4(data).ifPresent(payloads::add);
            pos = frame + captured;
        }
        return payloads;
    }

    private static java.util.Optional<byte[]> udpOverIpv4(byte[] frame) {
        ByteBuffer f = ByteBuffer.wrap(frame).order(ByteOrder.BIG_ENDIAN);
        if (frame.length < 14 + 20 + 8 || (f.getShort(12) & 0xffff) != 0x0800) {
            return java.util.Optional.empty();
        }
        int ihl = (frame[14] & 0x0f) * 4;
        if (frame[14 + 9] != 17) {
            return java.util.Optional.empty();
        }
        int udp = 14 + ihl;
        int length = (f.getShort(udp + 4) & 0xffff) - 8;
        if (udp + 8 + length > frame.length) {
            return java.util.Optional.empty(); // truncated by the snap length
        }
        return java.util.Optional.of(Arrays.copyOfRange(frame, udp + 8, udp + 8 + length));
    }
}

package tailflow.agent.sflow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The packets a capture on one interface sees: rx_packets + tx_packets, except on loopback, which
 * reports each packet once as received and once as sent (one counter behind both files) while the
 * capture sees it once, so there rx_packets alone. Read on the sampling path: the sysfs files stay open
 * and are re-read from offset 0 (sysfs regenerates the value on every read at offset 0), so a read
 * costs two pread calls and no garbage instead of two path lookups, opens and Strings.
 */
final class PacketCounter implements AutoCloseable {
    private final FileChannel rx;
    private final FileChannel tx;
    private final boolean loopback;
    private final ByteBuffer buf = ByteBuffer.allocate(32);

    PacketCounter(Path sysRoot, String ifName, boolean loopback) throws IOException {
        this.loopback = loopback;
        Path dir = sysRoot.resolve("class/net").resolve(ifName).resolve("statistics");
        rx = FileChannel.open(dir.resolve("rx_packets"), StandardOpenOption.READ);
        try {
            tx = FileChannel.open(dir.resolve("tx_packets"), StandardOpenOption.READ);
        } catch (IOException e) {
            rx.close();
            throw e;
        }
    }

    /** The count, or -1 once the interface is gone. */
    long packets() {
        long a = read(rx);
        long b = loopback ? 0 : read(tx);
        return a < 0 || b < 0 ? -1 : a + b;
    }

    private long read(FileChannel ch) {
        buf.clear();
        try {
            int n = ch.read(buf, 0);
            long v = 0;
            boolean digits = false;
            for (int i = 0; i < n; i++) {
                byte c = buf.get(i);
                if (c >= '0' && c <= '9') {
                    v = v * 10 + (c - '0');
                    digits = true;
                } else if (digits) {
                    break;
                }
            }
            return digits ? v : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            rx.close();
            tx.close();
        } catch (IOException e) {
            // nothing to do about a failed close of a read-only sysfs file
        }
    }
}

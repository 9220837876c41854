package tailflow.systemtest.service;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP sFlow v5 collector that only counts: it walks each datagram's header and sample list
 * (tag, length) and counts flow samples (tags 1 and 3) and counter samples (tags 2 and 4). Full
 * decoding is the sflow tests' job (tshark, sfacctd); this only proves the agent under the unit
 * sampled packets and reached the collector. A malformed datagram counts as such, not as samples.
 */
final class SflowCounter implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread reader;
    final AtomicInteger datagrams = new AtomicInteger();
    final AtomicInteger flowSamples = new AtomicInteger();
    final AtomicInteger counterSamples = new AtomicInteger();
    final AtomicInteger malformed = new AtomicInteger();
    private volatile boolean closed;

    SflowCounter(String bindAddress) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
        socket.setSoTimeout(200);
        reader = new Thread(this::read, "sflow-counter");
        reader.setDaemon(true);
        reader.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void read() {
        byte[] buf = new byte[65_536];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            count(ByteBuffer.wrap(p.getData(), 0, p.getLength()));
        }
    }

    private void count(ByteBuffer b) {
        try {
            if (b.getInt() != 5) {
                malformed.incrementAndGet();
                return;
            }
            int addressType = b.getInt();
            b.position(b.position() + (addressType == 2 ? 16 : 4));
            b.getInt(); // sub-agent id
            b.getInt(); // sequence number
            b.getInt(); // uptime
            int samples = b.getInt();
            int flows = 0;
            int counters = 0;
            for (int i = 0; i < samples; i++) {
                int format = b.getInt() & 0xfff; // enterprise 0 in the upper 20 bits
                int length = b.getInt();
                b.position(b.position() + length);
                if (format == 1 || format == 3) {
                    flows++;
                } else if (format == 2 || format == 4) {
                    counters++;
                }
            }
            datagrams.incrementAndGet();
            flowSamples.addAndGet(flows);
            counterSamples.addAndGet(counters);
        } catch (RuntimeException e) {
            malformed.incrementAndGet();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        socket.close();
        reader.join(5_000);
    }
}

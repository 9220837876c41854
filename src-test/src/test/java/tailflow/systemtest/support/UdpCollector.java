package tailflow.systemtest.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * A UDP collector stand-in (sFlow's): bound to an address the test chose, on an ephemeral port,
 * it keeps every datagram's payload as it arrived, in order. Decoding is the caller's job.
 */
public final class UdpCollector implements AutoCloseable {

    private static final int RECEIVE_BUFFER = 4 << 20; // bursts of datagrams must not be dropped here

    private final DatagramChannel channel;
    private final List<byte[]> datagrams = new ArrayList<>();
    private final Thread reader;

    private UdpCollector(InetAddress address) throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
        channel.bind(new InetSocketAddress(address, 0));
        reader = new Thread(this::receiveUntilClosed, "udp-collector");
        reader.setDaemon(true);
        reader.start();
    }

    /** A collector on 127.0.0.1. */
    public static UdpCollector onLoopback() throws IOException {
        return new UdpCollector(InetAddress.getLoopbackAddress());
    }

    /** A collector on {@code address} (a test host's gateway, say). */
    public static UdpCollector on(String address) throws IOException {
        return new UdpCollector(InetAddress.getByName(address));
    }

    public int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every datagram received so far, oldest first (a copy). */
    public List<byte[]> datagrams() {
        synchronized (datagrams) {
            return List.copyOf(datagrams);
        }
    }

    public int count() {
        synchronized (datagrams) {
            return datagrams.size();
        }
    }

    private void receiveUntilClosed() {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        try {
            while (channel.isOpen()) {
                buffer.clear();
                channel.receive(buffer);
                buffer.flip();
                byte[] payload = new byte[buffer.remaining()];
                buffer.get(payload);
                synchronized (datagrams) {
                    datagrams.add(payload);
                }
            }
        } catch (ClosedChannelException closed) {
            // close() ends the loop
        } catch (IOException e) {
            throw new UncheckedIOException("udp collector on port " + port() + " failed", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a datagram channel has nothing to flush
        }
        reader.join(5_000);
    }
}

package tailflow.systemtest.arm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An sFlow collector stand-in on 127.0.0.1: keeps each datagram's payload as it arrived. */
final class UdpCollector implements AutoCloseable {
    private final DatagramChannel channel;
    private final List<byte[]> datagrams = new CopyOnWriteArrayList<>();
    private final Thread reader;

    UdpCollector() throws IOException {
        channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        reader = new Thread(this::receiveUntilClosed, "arm-udp-collector");
        reader.setDaemon(true);
        reader.start();
    }

    int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    List<byte[]> datagrams() {
        return new ArrayList<>(datagrams);
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
                datagrams.add(payload);
            }
        } catch (AsynchronousCloseException closed) {
            // close() ends the loop
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        channel.close();
        reader.join(5_000);
    }
}

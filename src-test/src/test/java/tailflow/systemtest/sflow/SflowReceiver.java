package tailflow.systemtest.sflow;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tailflow.agent.sflow.SflowDecoder;
import tailflow.agent.sflow.SflowDecoder.Datagram;

/** A collector on 127.0.0.1 (ephemeral port) that keeps every datagram's bytes. */
final class SflowReceiver implements AutoCloseable {
    private final DatagramSocket socket;
    private final List<byte[]> raw = new ArrayList<>();
    private final Thread thread;

    SflowReceiver() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setReceiveBufferSize(4 << 20);
        thread = new Thread(this::run, "sflow-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void run() {
        byte[] buf = new byte[65_536];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            synchronized (raw) {
                raw.add(Arrays.copyOf(p.getData(), p.getLength()));
            }
        }
    }

    List<byte[]> raw() {
        synchronized (raw) {
            return List.copyOf(raw);
        }
    }

    List<Datagram> decoded() {
        return raw().stream().map(b -> SflowDecoder.decode(b, b.length)).toList();
    }

    @Override
    public void close() {
        socket.close();
    }
}

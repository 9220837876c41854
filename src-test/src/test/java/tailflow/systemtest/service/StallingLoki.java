package tailflow.systemtest.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Loki that wedges its clients: it answers every push with a status line and headers that
 * promise a body, then sends nothing and keeps the connection open. The agent's HTTP client has a
 * timeout for the answer's headers, not for its body, so the sending thread blocks for good: the
 * wedge the watchdog exists for.
 */
final class StallingLoki implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger pushes = new AtomicInteger();
    private final Thread acceptor;

    StallingLoki(String address) throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getByName(address));
        acceptor = new Thread(this::accept, "stalling-loki");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI pushUrl() {
        return URI.create("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort()
                + "/loki/api/v1/push");
    }

    /** Pushes whose headers were answered (each then stalls). */
    int pushes() {
        return pushes.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                held.add(s);
                stall(s);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void stall(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) { // the request head; the body stays unread in the socket buffer
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        OutputStream out = s.getOutputStream();
        out.write("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        pushes.incrementAndGet();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) {
            s.close();
        }
        try {
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

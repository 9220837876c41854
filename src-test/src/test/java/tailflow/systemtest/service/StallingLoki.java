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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Loki that wedges its clients: it answers every push with a status line and headers that
 * promise a body of almost a megabyte, then trickles it, one byte every half second. The agent's
 * HTTP client bounds the connect and every read by its {@code timeout}, and each read here returns
 * well within it, so the sending thread stays in that answer for days: the wedge the watchdog
 * exists for. (A Loki that sends nothing at all no longer wedges the agent: the read times out.)
 */
final class StallingLoki implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final List<Socket> answered = new CopyOnWriteArrayList<>();
    private final AtomicInteger pushes = new AtomicInteger();
    private final Thread acceptor;
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stalling-loki-trickle");
        t.setDaemon(true);
        return t;
    });

    StallingLoki(String address) throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getByName(address));
        acceptor = new Thread(this::accept, "stalling-loki");
        acceptor.setDaemon(true);
        acceptor.start();
        trickle.scheduleAtFixedRate(this::trickleOneByte, 500, 500, TimeUnit.MILLISECONDS);
    }

    private void trickleOneByte() {
        for (Socket s : answered) {
            try {
                s.getOutputStream().write('.');
                s.getOutputStream().flush();
            } catch (IOException e) {
                answered.remove(s); // the agent gave up on it (restart): nothing more to trickle
            }
        }
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
        out.write("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        answered.add(s);
        pushes.incrementAndGet();
    }

    @Override
    public void close() throws IOException {
        trickle.shutdownNow();
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

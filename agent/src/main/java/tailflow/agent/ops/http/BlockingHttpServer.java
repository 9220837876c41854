package tailflow.agent.ops.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A minimal HTTP/1.1 server for the agent's few GET endpoints: one thread blocked in
 * {@code accept()}, one request per connection ({@code Connection: close}), requests served one
 * after another. It wakes only when a client connects: the JDK's HttpServer woke its dispatcher
 * every second and kept two more threads (src-test/bench/idle). A request head is bounded
 * ({@link #MAX_HEAD} bytes, answered 431 beyond) and must arrive within the read timeout, so a
 * client that connects and sends nothing holds the endpoint for at most that long.
 */
final class BlockingHttpServer {

    private static final Logger LOG = Logger.getLogger(BlockingHttpServer.class.getName());
    /** Prometheus, curl and systemd's probes send a few hundred bytes; 8 KiB is what many servers allow. */
    static final int MAX_HEAD = 8192;

    /** A request: its method and path (without the query). */
    record Request(String method, String path) {}

    /** An answer; {@code body} is left out of the wire for HEAD. */
    record Response(int status, String contentType, String body) {
        static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body);
        }
    }

    private final ServerSocket socket;
    private final Duration readTimeout;
    private final Function<Request, Response> handler;
    private final Thread thread;

    /** Binds {@code address} (port 0 picks a free one); {@link #start()} begins serving. */
    BlockingHttpServer(InetSocketAddress address, Duration readTimeout, Function<Request, Response> handler)
            throws IOException {
        this.socket = new ServerSocket();
        this.readTimeout = readTimeout;
        this.handler = handler;
        try {
            socket.setReuseAddress(true);
            socket.bind(address, 16);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        this.thread = new Thread(this::serve, "ops-http");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Closes the listening socket (which ends a blocked accept) and waits up to {@code timeout} for the thread. */
    void stop(Duration timeout) throws InterruptedException {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the ops listener: " + e, e);
        }
        if (thread.isAlive()) {
            thread.join(Math.max(1, timeout.toMillis()));
        }
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                client.setSoTimeout((int) Math.max(1, readTimeout.toMillis()));
                exchange(client);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(Level.FINE, "ops HTTP exchange failed: " + e, e);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "ops HTTP handler failed: " + e, e);
            }
        }
    }

    private void exchange(Socket client) throws IOException {
        OutputStream out = client.getOutputStream();
        String head;
        try {
            head = readHead(client.getInputStream());
        } catch (SocketTimeoutException e) {
            return; // nothing (complete) within the timeout: drop the connection
        }
        if (head == null) {
            write(out, Response.text(431, "request head larger than " + MAX_HEAD + " bytes\n"), false);
            return;
        }
        String[] line = head.substring(0, head.indexOf('\n')).trim().split(" ");
        if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
            write(out, Response.text(400, "bad request line\n"), false);
            return;
        }
        String method = line[0];
        if (!method.equals("GET") && !method.equals("HEAD")) {
            write(out, Response.text(405, "only GET and HEAD\n"), false);
            return;
        }
        String target = line[1];
        int query = target.indexOf('?');
        Response response;
        try {
            response = handler.apply(new Request(method, query < 0 ? target : target.substring(0, query)));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ops HTTP " + target + " failed: " + e, e);
            response = Response.text(500, "internal error: " + e + "\n");
        }
        write(out, response, method.equals("HEAD"));
    }

    /**
     * Reads up to the blank line that ends the head; null when it exceeds {@link #MAX_HEAD}. A
     * connection closed early yields what arrived (then rejected as a bad request line).
     */
    static String readHead(InputStream in) throws IOException {
        byte[] buf = new byte[MAX_HEAD];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                return null;
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                return new String(buf, 0, n, StandardCharsets.ISO_8859_1) + "\n";
            }
            n += r;
            if (endOfHead(buf, n)) {
                return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static boolean endOfHead(byte[] b, int n) {
        for (int i = 1; i < n; i++) {
            if (b[i] == '\n' && (b[i - 1] == '\n' || i >= 2 && b[i - 1] == '\r' && b[i - 2] == '\n')) {
                return true;
            }
        }
        return false;
    }

    private static void write(OutputStream out, Response r, boolean head) throws IOException {
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        String header = "HTTP/1.1 " + r.status() + " " + reason(r.status()) + "\r\n"
                + "Content-Type: " + r.contentType() + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(body);
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Status";
        };
    }
}

package tailflow.agent.loki;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One kept-alive HTTP/1.1 connection to one server, used by one thread: a blocking POST with a
 * Content-Length body, and the answer read with a read timeout and within fixed bounds (64 KiB of
 * status line and headers, 1 MiB of body, of which the first 4 KiB are kept as the message).
 *
 * <p>Why not the JDK's HttpClient: for one request at a time on one connection it kept a selector
 * thread and workers, loaded ~650 classes and initialised TLS (cacerts) even for http:// URLs
 * (+21.7 MB RSS measured, notes/perf.md), and its body publisher copied every request.
 *
 * <p>Responses: Content-Length, chunked, or (without either) up to the end of the connection;
 * interim 1xx answers are skipped. The connection is closed after {@code Connection: close}, an
 * HTTP/1.0 answer without keep-alive, a body read to the end of the stream or too large to read,
 * and any error; the next request connects again. A request on a reused connection that fails
 * before any byte of the answer arrived (the server closed the idle connection meanwhile) is sent
 * once more on a fresh connection.
 */
final class Http1Connection implements Closeable {

    /** An answer: the status code and the start of the body. */
    record Response(int status, String body) {}

    static final int MAX_HEAD = 64 * 1024;
    static final int MAX_BODY = 1024 * 1024;
    static final int MESSAGE_BYTES = 4096;

    private final String host;
    private final int port;
    private final SSLSocketFactory tls;
    private final SSLParameters tlsParameters;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int requestsOnSocket;

    /** {@code tls} null for plain http; {@code timeout} bounds the connect and every read. */
    Http1Connection(String host, int port, SSLSocketFactory tls, SSLParameters tlsParameters, Duration timeout) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.tlsParameters = tlsParameters;
        this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** Sends {@code head} (request line and headers, ending in an empty line) and {@code body[0, length)}. */
    Response exchange(byte[] head, byte[] body, int length) throws IOException {
        boolean reused = socket != null;
        try {
            return attempt(head, body, length);
        } catch (NoAnswer e) {
            close();
            if (!reused) {
                throw e.getCause() instanceof IOException io ? io : e;
            }
            try {
                return attempt(head, body, length); // the kept-alive connection had gone stale
            } catch (NoAnswer again) {
                close();
                throw again.getCause() instanceof IOException io ? io : again;
            } catch (IOException | RuntimeException again) {
                close();
                throw again;
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Failed before any byte of the answer: the request may be sent again on a fresh connection. */
    private static final class NoAnswer extends IOException {
        NoAnswer(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private Response attempt(byte[] head, byte[] body, int length) throws IOException {
        if (socket == null) {
            connect();
        }
        int first;
        try {
            out.write(head);
            out.write(body, 0, length);
            out.flush();
            first = in.read();
            if (first < 0) {
                throw new EOFException("connection closed before an answer");
            }
        } catch (IOException e) {
            throw new NoAnswer(e);
        }
        requestsOnSocket++;
        Head h = readHead(first);
        while (h.status >= 100 && h.status < 200) { // 100 Continue and other interim answers
            h = readHead(in.read());
        }
        String message = readBody(h);
        if (!h.keepAlive) {
            close();
        }
        return new Response(h.status, message);
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.setTcpNoDelay(true); // head and body are two writes: Nagle would hold the body's last segment
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(s, host, port, true);
                ssl.setSSLParameters(tlsParameters);
                ssl.startHandshake();
                s = ssl;
            }
            in = new BufferedInputStream(s.getInputStream(), 8192);
            out = s.getOutputStream();
            socket = s;
            requestsOnSocket = 0;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private record Head(int status, long contentLength, boolean chunked, boolean keepAlive) {}

    private Head readHead(int first) throws IOException {
        int[] budget = {MAX_HEAD};
        String statusLine = line(first, budget);
        // HTTP/1.1 204 No Content
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x answer: " + printable(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + printable(statusLine));
        }
        boolean http10 = statusLine.startsWith("HTTP/1.0");
        boolean keepAlive = !http10;
        long contentLength = -1;
        boolean chunked = false;
        while (true) {
            String header = line(in.read(), budget);
            if (header.isEmpty()) {
                break;
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length: " + printable(value));
                    }
                }
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (v.contains("close")) {
                        keepAlive = false;
                    } else if (v.contains("keep-alive")) {
                        keepAlive = true;
                    }
                }
                default -> { }
            }
        }
        boolean noBody = status == 204 || status == 304 || status < 200;
        if (noBody) {
            return new Head(status, 0, false, keepAlive);
        }
        if (!chunked && contentLength < 0) {
            keepAlive = false; // the body ends with the connection
        }
        return new Head(status, contentLength, chunked, keepAlive);
    }

    /** The body's first {@link #MESSAGE_BYTES} as text; the rest is read and dropped (up to {@link #MAX_BODY}). */
    private String readBody(Head h) throws IOException {
        Collected body = new Collected();
        if (h.chunked) {
            int[] budget = {MAX_HEAD};
            while (true) {
                String sizeLine = line(in.read(), budget);
                int semi = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size: " + printable(sizeLine));
                }
                if (size == 0) {
                    while (!line(in.read(), budget).isEmpty()) {
                        // trailers: ignored
                    }
                    break;
                }
                body.read(in, size);
                if (!line(in.read(), budget).isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
        } else if (h.contentLength >= 0) {
            body.read(in, h.contentLength);
        } else {
            body.readToEnd(in);
        }
        return body.text();
    }

    /** Keeps the first bytes of a body, counts the rest, and refuses more than {@link #MAX_BODY} in all. */
    private static final class Collected {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[4096];
        private long total;

        void read(InputStream in, long n) throws IOException {
            if (total + n > MAX_BODY) {
                throw new IOException("answer body over " + MAX_BODY + " bytes");
            }
            while (n > 0) {
                int r = in.read(buffer, 0, (int) Math.min(buffer.length, n));
                if (r < 0) {
                    throw new EOFException("connection closed inside the answer body");
                }
                keep(r);
                n -= r;
            }
        }

        void readToEnd(InputStream in) throws IOException {
            int r;
            while ((r = in.read(buffer)) >= 0) {
                if (total + r > MAX_BODY) {
                    throw new IOException("answer body over " + MAX_BODY + " bytes");
                }
                keep(r);
            }
        }

        private void keep(int r) {
            int room = (int) Math.max(0, MESSAGE_BYTES - total);
            kept.write(buffer, 0, Math.min(room, r));
            total += r;
        }

        String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }

    /** One CRLF- (or LF-) terminated line starting with {@code first}, counted against {@code budget[0]}. */
    private String line(int first, int[] budget) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c = first;
        while (true) {
            if (c < 0) {
                throw new EOFException("connection closed inside the answer's head");
            }
            if (--budget[0] < 0) {
                throw new IOException("answer head over " + MAX_HEAD + " bytes");
            }
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            sb.append((char) c); // ISO-8859-1, as HTTP heads are
            c = in.read();
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** How many requests the current connection carried (0 when closed); tests see keep-alive with it. */
    int requestsOnConnection() {
        return socket == null ? 0 : requestsOnSocket;
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}

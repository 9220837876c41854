package tailflow.agent.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/1.1 connection against a scripted server on 127.0.0.1 that writes raw answers: each
 * request is read in full (head and Content-Length body) and answered with the next scripted
 * bytes; a script entry of {@code CLOSE} closes the connection instead of answering, {@code SILENT}
 * never answers.
 */
class Http1ConnectionTest {

    private static final String CLOSE = "CLOSE";
    private static final String SILENT = "SILENT";

    private final ServerSocket server;
    private final BlockingQueue<String> script = new LinkedBlockingQueue<>();
    private final List<byte[]> bodies = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    Http1ConnectionTest() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "scripted-http");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        acceptor.join(5000);
    }

    private void accept() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                connections.incrementAndGet();
                InputStream in = s.getInputStream();
                while (true) {
                    byte[] body = readRequest(in);
                    if (body == null) {
                        break;
                    }
                    synchronized (bodies) {
                        bodies.add(body);
                    }
                    String answer = script.poll(10, TimeUnit.SECONDS);
                    if (answer == null || answer.equals(CLOSE)) {
                        break;
                    }
                    if (answer.equals(SILENT)) {
                        in.read(); // until the client gives up and closes
                        break;
                    }
                    s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    if (answer.startsWith("HTTP/1.0") || answer.contains("Connection: close")) {
                        break; // as a server that ends the body (or the conversation) with the connection
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client closed, or the test ended
            }
        }
    }

    /** Head up to the empty line, then Content-Length bytes; null at the end of the stream. */
    private static byte[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                int i = h.toLowerCase().indexOf("content-length: ");
                int length = Integer.parseInt(h.substring(i + 16, h.indexOf('\r', i)));
                return in.readNBytes(length);
            }
        }
        return null;
    }

    private Http1Connection connection(Duration timeout) {
        return new Http1Connection("127.0.0.1", server.getLocalPort(), null, null, timeout);
    }

    private static byte[] head() {
        return "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    private static final byte[] BODY = {1, 2, 3};

    @Test
    void keepsOneConnectionForManyRequestsAndReadsEveryBodyFraming() throws Exception {
        script.add("HTTP/1.1 204 No Content\r\n\r\n");
        script.add("HTTP/1.1 400 Bad Request\r\nContent-Length: 20\r\n\r\nentry too far behind");
        script.add("HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: t\r\n\r\n");
        script.add("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        try (Http1Connection c = connection(Duration.ofSeconds(5))) {
            assertThat(c.exchange(head(), BODY, 3)).isEqualTo(new Http1Connection.Response(204, ""));
            assertThat(c.exchange(head(), BODY, 3)).isEqualTo(new Http1Connection.Response(400, "entry too far behind"));
            assertThat(c.exchange(head(), BODY, 3)).isEqualTo(new Http1Connection.Response(500, "hello world"));
            assertThat(c.exchange(head(), BODY, 3)).isEqualTo(new Http1Connection.Response(200, "ok"));
            assertThat(c.requestsOnConnection()).isEqualTo(4);
        }
        assertThat(connections.get()).isEqualTo(1);
        assertThat(bodies).hasSize(4).allSatisfy(b -> assertThat(b).isEqualTo(BODY));
    }

    @Test
    void connectionCloseAndBodiesWithoutLengthEndTheConnection() throws Exception {
        script.add("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        script.add("HTTP/1.0 429 Too Many Requests\r\n\r\nslow down");
        script.add("HTTP/1.1 204 No Content\r\n\r\n");
        try (Http1Connection c = connection(Duration.ofSeconds(5))) {
            assertThat(c.exchange(head(), BODY, 3).status()).isEqualTo(204);
            assertThat(c.requestsOnConnection()).isZero();
            assertThat(c.exchange(head(), BODY, 3)).isEqualTo(new Http1Connection.Response(429, "slow down"));
            assertThat(c.exchange(head(), BODY, 3).status()).isEqualTo(204);
        }
        assertThat(connections.get()).isEqualTo(3);
    }

    @Test
    void aStaleKeptAliveConnectionIsReplacedOnceWithoutLosingTheRequest() throws Exception {
        script.add("HTTP/1.1 204 No Content\r\n\r\n");
        script.add(CLOSE); // the server drops the idle connection instead of answering
        script.add("HTTP/1.1 204 No Content\r\n\r\n");
        try (Http1Connection c = connection(Duration.ofSeconds(5))) {
            assertThat(c.exchange(head(), BODY, 3).status()).isEqualTo(204);
            assertThat(c.exchange(head(), BODY, 3).status()).isEqualTo(204);
        }
        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void aFreshConnectionThatClosesIsAnErrorNotARetry() {
        script.add(CLOSE);
        script.add("HTTP/1.1 204 No Content\r\n\r\n");
        try (Http1Connection c = connection(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> c.exchange(head(), BODY, 3)).isInstanceOf(IOException.class);
        }
        assertThat(script).hasSize(1);
    }

    @Test
    void aSilentServerTimesOutInsteadOfHangingTheSender() {
        script.add(SILENT);
        try (Http1Connection c = connection(Duration.ofMillis(300))) {
            assertThatThrownBy(() -> c.exchange(head(), BODY, 3)).isInstanceOf(SocketTimeoutException.class);
            assertThat(c.requestsOnConnection()).isZero();
        }
    }

    @Test
    void answersAreBoundedAndOnlyTheirStartIsKept() throws Exception {
        String big = "x".repeat(10_000);
        script.add("HTTP/1.1 400 Bad Request\r\nContent-Length: 10000\r\n\r\n" + big);
        script.add("HTTP/1.1 400 Bad Request\r\nContent-Length: 2000000\r\n\r\n");
        script.add("HTTP/1.1 204 No Content\r\n" + ("X-Filler: " + "y".repeat(1000) + "\r\n").repeat(70) + "\r\n");
        script.add("garbage\r\n\r\n");
        try (Http1Connection c = connection(Duration.ofSeconds(5))) {
            assertThat(c.exchange(head(), BODY, 3).body()).hasSize(Http1Connection.MESSAGE_BYTES);
            assertThat(c.requestsOnConnection()).isEqualTo(1);
            assertThatThrownBy(() -> c.exchange(head(), BODY, 3)).hasMessageContaining("answer body over");
            assertThatThrownBy(() -> c.exchange(head(), BODY, 3)).hasMessageContaining("answer head over");
            assertThatThrownBy(() -> c.exchange(head(), BODY, 3)).hasMessageContaining("not an HTTP/1.x answer");
        }
    }
}

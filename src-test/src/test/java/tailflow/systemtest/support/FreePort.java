package tailflow.systemtest.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A TCP port that was free a moment ago, for programs that must be told their port before they
 * start (the agent's http_listen_port, qemu's ssh forward). Bound on the wildcard address, so the
 * port was free on every interface, loopback included. Servers the test runs itself bind port 0.
 */
public final class FreePort {

    private FreePort() {}

    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port", e);
        }
    }
}

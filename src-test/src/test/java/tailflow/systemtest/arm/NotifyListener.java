package tailflow.systemtest.arm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import tailflow.systemtest.support.Wait;

/**
 * The systemd side of sd_notify for a guest: socat receiving on a unix datagram socket inside the
 * sysroot, so the agent's JNA {@code sendto} with its {@code sockaddr_un} runs as ARM code.
 */
final class NotifyListener implements AutoCloseable {
    private final Process socat;
    private final Path received;
    private final Path socket;

    private NotifyListener(Process socat, Path received, Path socket) {
        this.socat = socat;
        this.received = received;
        this.socket = socket;
    }

    static NotifyListener start(Path socket, Path received) throws IOException, InterruptedException {
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        Process p = new ProcessBuilder("socat", "-u", "UNIX-RECV:" + socket, "STDOUT")
                .redirectOutput(received.toFile()).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!Wait.upTo(Duration.ofSeconds(10), "socat's " + socket).poll(() -> Files.exists(socket) || !p.isAlive())
                || !Files.exists(socket)) {
            p.destroyForcibly();
            throw new IllegalStateException("socat did not create " + socket);
        }
        return new NotifyListener(p, received, socket);
    }

    /** Everything received so far (datagrams concatenated). */
    String text() throws IOException {
        return Files.readString(received, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(socket);
    }
}

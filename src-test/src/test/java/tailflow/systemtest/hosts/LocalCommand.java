package tailflow.systemtest.hosts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program on the test machine with a deadline. Both output streams are drained on their
 * own threads so a chatty program can never block on a full pipe.
 */
final class LocalCommand {

    private LocalCommand() {}

    static ExecResult run(List<String> argv, byte[] stdin, Duration timeout) {
        String shown = String.join(" ", argv);
        Process process;
        try {
            process = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + shown, e);
        }
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The program may exit without reading its input; its exit code tells the story.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return new ExecResult(shown, 124, text(out), text(err) + "\n[timed out after " + timeout + "]");
            }
            return new ExecResult(shown, process.exitValue(), text(out), text(err));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + shown, e);
        }
    }

    static ExecResult run(List<String> argv, Duration timeout) {
        return run(argv, new byte[0], timeout);
    }

    static ExecResult run(String... argv) {
        return run(List.of(argv), new byte[0], Duration.ofSeconds(60));
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        // A thread of its own: blocking reads must not occupy the (tiny, shared) common pool.
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                result.complete(buffer.toByteArray());
            } catch (IOException e) {
                result.complete(new byte[0]);
            }
        }, "local-command-reader");
        reader.setDaemon(true);
        reader.start();
        return result;
    }

    private static String text(CompletableFuture<byte[]> stream) {
        try {
            return new String(stream.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "";
        }
    }
}

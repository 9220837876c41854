package tailflow.systemtest.arm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tailflow.systemtest.support.Wait;

/**
 * A long-running program inside an {@link ArmSysroot}, its stdout and stderr in files.
 * The chroot, env and launcher all exec, so the process started here is the emulated JVM
 * itself and SIGTERM reaches the agent's own handler.
 */
public final class GuestProcess implements AutoCloseable {

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private GuestProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static GuestProcess start(List<String> command, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path out = logDir.resolve("stdout.log");
        Path err = logDir.resolve("stderr.log");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return new GuestProcess(process, out, err);
    }

    public String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until {@code condition} holds for the combined output, or the deadline passes, or the
     * process exits; returns whether the condition held.
     */
    public boolean awaitOutput(Predicate<String> condition, Duration timeout) {
        return Wait.upTo(timeout, "the guest's output").every(Duration.ofMillis(200))
                .poll(() -> condition.test(stdout() + stderr()) || !process.isAlive())
                && condition.test(output());
    }

    private String output() {
        try {
            return stdout() + stderr();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends SIGTERM and waits for the exit code; kills it if it does not exit within {@code timeout}. */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("agent did not exit within " + timeout + " of SIGTERM; killed");
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}

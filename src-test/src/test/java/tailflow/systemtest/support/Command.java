package tailflow.systemtest.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program on the test machine to completion within a deadline. Its output streams are
 * drained by threads of their own WHILE it runs, so a chatty program never blocks on a full pipe.
 * A program that outlives the deadline is killed with its descendants; the result says so
 * ({@link CommandResult#timedOut()}, exit code 124 as timeout(1) reports it).
 *
 * <pre>Command.of("ip", "netns", "add", name).run().requireOk();</pre>
 */
public record Command(List<String> argv, Duration timeout, byte[] stdin, boolean stderrIntoStdout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(5);

    public Command {
        argv = List.copyOf(argv);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, DEFAULT_TIMEOUT, new byte[0], false);
    }

    public static Command of(String... argv) {
        return of(List.of(argv));
    }

    /** {@code sh -c script}. */
    public static Command shell(String script) {
        return of("sh", "-c", script);
    }

    public Command timeout(Duration limit) {
        return new Command(argv, limit, stdin, stderrIntoStdout);
    }

    /** Bytes written to the program's standard input (then closed; empty by default). */
    public Command stdin(byte[] input) {
        return new Command(argv, timeout, input, stderrIntoStdout);
    }

    /** Standard error interleaved into standard output, in the order the program wrote them. */
    public Command mergeStderr() {
        return new Command(argv, timeout, stdin, true);
    }

    public CommandResult run() {
        String shown = String.join(" ", argv);
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(stderrIntoStdout).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + shown + ": " + e.getMessage(), e);
        }
        Drain out = Drain.start(process.getInputStream(), shown);
        Drain err = Drain.start(process.getErrorStream(), shown);
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The program may exit without reading its input; its exit code tells the story.
        }
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            int exit = finished ? process.exitValue() : 124;
            return new CommandResult(shown, exit, out.text(), err.text(), !finished, timeout);
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + shown, e);
        }
    }

    /** Reads one stream to its end on its own thread; the text is what arrived by the time it is asked for. */
    private static final class Drain {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;

        private Drain(InputStream stream, String shown) {
            // A thread of its own: blocking reads must not occupy the (tiny, shared) common pool.
            thread = new Thread(() -> copy(stream), "drain " + shown);
            thread.setDaemon(true);
        }

        static Drain start(InputStream stream, String shown) {
            Drain drain = new Drain(stream, shown);
            drain.thread.start();
            return drain;
        }

        private void copy(InputStream stream) {
            byte[] chunk = new byte[8192];
            try (stream) {
                for (int n; (n = stream.read(chunk)) >= 0; ) {
                    synchronized (buffer) {
                        buffer.write(chunk, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process is gone and its pipe with it: what arrived is what there is
            }
        }

        /** A daemon the program started may keep the pipe open: wait a little, then take what arrived. */
        String text() throws InterruptedException {
            thread.join(DRAIN_AFTER_EXIT.toMillis());
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}

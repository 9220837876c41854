package tailflow.systemtest.sflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion within a deadline; failures carry the command's output. */
final class Cmd {
    private Cmd() {}

    static String run(List<String> command) {
        return run(command, true);
    }

    static String run(List<String> command, boolean check) {
        return run(command, check, true);
    }

    /** Standard output only (tshark says "Running as user root" on stderr). */
    static String stdout(List<String> command) {
        return run(command, true, false);
    }

    private static String run(List<String> command, boolean check, boolean mergeStderr) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(mergeStderr);
            if (!mergeStderr) {
                pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + p.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package tailflow.systemtest.support;

import java.time.Duration;

/** A finished (or killed) program: exit code and both streams as UTF-8 text. */
public record CommandResult(String command, int exitCode, String stdout, String stderr, boolean timedOut,
                            Duration timeout) {

    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** Standard output followed by standard error. */
    public String output() {
        return stdout + stderr;
    }

    /** Returns this result, or throws with everything the program printed when it failed or timed out. */
    public CommandResult requireOk() {
        if (!ok()) {
            throw new IllegalStateException(describe());
        }
        return this;
    }

    /** Returns this result whatever its exit code, or throws if the program did not finish in time. */
    public CommandResult requireFinished() {
        if (timedOut) {
            throw new IllegalStateException(describe());
        }
        return this;
    }

    private String describe() {
        String what = timedOut ? "did not finish within " + timeout : "exited " + exitCode;
        return command + " " + what + ":\n" + stdout + (stderr.isEmpty() ? "" : "--- stderr\n" + stderr);
    }
}

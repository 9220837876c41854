package tailflow.systemtest.hosts;

/** What a finished command left behind: its exit code and both output streams, decoded as UTF-8. */
public record ExecResult(String command, int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** Returns this result, or throws with everything the command printed when it failed. */
    public ExecResult requireOk() {
        if (!ok()) {
            throw new IllegalStateException("command failed (exit " + exitCode + "): " + command
                    + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr);
        }
        return this;
    }
}

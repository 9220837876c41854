package tailflow.systemtest.hosts;

import tailflow.systemtest.support.CommandResult;

/** What a finished command left behind: its exit code and both output streams, decoded as UTF-8. */
public record ExecResult(String command, int exitCode, String stdout, String stderr) {

    /** A command on a host, run through ssh on this machine: a timeout shows as exit 124 and a note on stderr. */
    static ExecResult of(CommandResult ssh) {
        String stderr = ssh.timedOut() ? ssh.stderr() + "\n[timed out after " + ssh.timeout() + "]" : ssh.stderr();
        return new ExecResult(ssh.command(), ssh.exitCode(), ssh.stdout(), stderr);
    }

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

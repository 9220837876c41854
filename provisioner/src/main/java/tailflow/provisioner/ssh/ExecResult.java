package tailflow.provisioner.ssh;

/** A remote command's exit code and output. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }
}

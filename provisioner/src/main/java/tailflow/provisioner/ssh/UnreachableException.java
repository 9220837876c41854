package tailflow.provisioner.ssh;

/** The host could not be reached or logged in to; counted as "unreachable" (exit 4), like Ansible. */
public final class UnreachableException extends Exception {
    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    public UnreachableException(String message) {
        super(message);
    }
}

package tailflow.provisioner.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A logged-in host that runs sh scripts as root: what the runner needs of an SSH connection (and
 * what its unit tests fake).
 */
public interface RemoteShell extends AutoCloseable {

    /** Runs {@code script} with sh as root; stdout lines also go to {@code lines} as they arrive. */
    ExecResult runAsRoot(String script, InputStream stdin, Duration timeout, Consumer<String> lines) throws IOException;

    default ExecResult runAsRoot(String script, Duration timeout) throws IOException {
        return runAsRoot(script, InputStream.nullInputStream(), timeout, l -> { });
    }

    @Override
    void close();

    /** Opens a {@link RemoteShell} to a target. */
    @FunctionalInterface
    interface Opener {
        RemoteShell open(SshTarget target) throws UnreachableException;
    }
}

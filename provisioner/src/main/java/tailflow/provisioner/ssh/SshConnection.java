package tailflow.provisioner.ssh;

import java.io.ByteArrayOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * One authenticated SSH connection to a host, reused for every step of a run: each command is a
 * new channel on the same transport. Privileged commands go through sudo when the target says
 * {@code become} (with {@code -S} and the password on stdin for {@code -K}).
 */
public final class SshConnection implements RemoteShell {

    private final SSHClient client;
    private final SshTarget target;
    /** Jump hosts this connection tunnels through, innermost first: closed after it. */
    private final List<SSHClient> via;

    SshConnection(SSHClient client, SshTarget target, List<SSHClient> via) {
        this.client = client;
        this.target = target;
        this.via = List.copyOf(via);
    }

    SSHClient client() {
        return client;
    }

    /** This connection and the jump hosts under it, innermost first: what a tunnel through it must close. */
    List<SSHClient> chain() {
        List<SSHClient> all = new java.util.ArrayList<>(List.of(client));
        all.addAll(via);
        return all;
    }

    public SshTarget target() {
        return target;
    }

    /** Runs {@code script} with sh as root (through sudo if needed); stdout lines also go to {@code lines} as they arrive. */
    @Override
    public ExecResult runAsRoot(String script, InputStream stdin, Duration timeout, Consumer<String> lines) throws IOException {
        String command = "sh -c " + quote(script);
        InputStream input = stdin;
        if (target.become() && !target.user().equals("root")) {
            if (target.becomePassword().isPresent()) {
                command = "sudo -S -p '' -- " + command;
                byte[] pw = (new String(target.becomePassword().get()) + "\n").getBytes(StandardCharsets.UTF_8);
                input = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(pw), stdin);
            } else {
                command = "sudo -n -- " + command;
            }
        }
        return exec(command, input, timeout, lines);
    }

    /** Runs a command as the login user. */
    public ExecResult exec(String command, InputStream stdin, Duration timeout, Consumer<String> lines) throws IOException {
        try (Session session = client.startSession()) {
            Session.Command cmd = session.exec(command);
            CompletableFuture<String> out = background(() -> readLines(cmd.getInputStream(), lines));
            CompletableFuture<String> err = background(() -> readAll(cmd.getErrorStream()));
            send(stdin, cmd.getOutputStream());
            cmd.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Integer status = cmd.getExitStatus();
            String stdout = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String stderr = err.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (status == null) {
                throw new IOException("remote command did not finish within " + timeout + ": " + firstLine(command));
            }
            return new ExecResult(status, stdout, stderr);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("reading the output of a remote command failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Copies {@code stdin} to the channel and ends it with EOF, every byte delivered. SSHJ's
     * {@code ChannelOutputStream.close()} flushes what it still buffers WITHOUT waiting for the
     * server's window ({@code flush(false)}): when the window is short at that moment, the tail (up
     * to one packet, 32 KiB) is dropped and EOF is sent anyway. That was issue 14's "does not match
     * sha256" (one upload in five to a slow reader on loopback lost its tail). {@code flush()}
     * waits for window space, so after it close has nothing left to drop. With nothing sent there
     * is nothing to flush, and flush() must not run: it throws "Stream closed" when the channel is
     * closed already, which a quick script with no stdin (facts) often is by then on a loaded
     * machine (1 host in 5-10 failed so), while close() on a closed channel is a no-op.
     */
    static void send(InputStream stdin, OutputStream channel) throws IOException {
        try (OutputStream out = channel) {
            if (stdin.transferTo(out) > 0) {
                out.flush();
            }
        }
    }

    public boolean isConnected() {
        return client.isConnected() && client.isAuthenticated();
    }

    @Override
    public void close() {
        List<SSHClient> all = new java.util.ArrayList<>(List.of(client));
        all.addAll(via);
        for (SSHClient c : all) {
            try {
                c.disconnect();
            } catch (IOException e) {
                // the connection is going away either way
            }
        }
    }

    /** A reader thread of its own: blocking reads must not occupy the (tiny, shared) common pool. */
    static <T> CompletableFuture<T> background(java.util.function.Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, "ssh-stream-reader");
        t.setDaemon(true);
        t.start();
        return result;
    }

    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }

    private static String readLines(InputStream in, Consumer<String> lines) {
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                all.append(line).append('\n');
                lines.accept(line);
            }
        } catch (IOException e) {
            all.append("[output cut: ").append(e.getMessage()).append("]\n");
        }
        return all.toString();
    }

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

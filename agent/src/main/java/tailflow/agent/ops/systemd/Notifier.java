package tailflow.agent.ops.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells systemd about the agent's state through the datagram socket named by {@code NOTIFY_SOCKET}
 * (the sd_notify protocol: newline-separated {@code KEY=value} assignments in one datagram).
 * Without {@code NOTIFY_SOCKET} every call is a no-op, so the agent runs the same from a shell.
 *
 * <p>Failures to send are logged and swallowed: systemd bookkeeping must never stop the pipelines.
 * Thread-safe: {@code sendto} on one datagram socket needs no locking.
 */
public final class Notifier implements AutoCloseable {
    public static final String ENV_SOCKET = "NOTIFY_SOCKET";
    private static final Logger LOG = Logger.getLogger(Notifier.class.getName());

    private final LibC libc;
    private final SockaddrUn address;
    private final String socketName;
    private final int fd;
    private volatile boolean lastSendFailed;

    private Notifier(LibC libc, SockaddrUn address, String socketName, int fd) {
        this.libc = libc;
        this.address = address;
        this.socketName = socketName;
        this.fd = fd;
    }

    /** A notifier for {@code NOTIFY_SOCKET} in {@code env}, or a disabled one when it is absent or unusable. */
    public static Notifier fromEnvironment(Map<String, String> env) {
        String name = env.get(ENV_SOCKET);
        if (name == null || name.isEmpty()) {
            return disabled();
        }
        try {
            return connect(name);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "cannot use NOTIFY_SOCKET=" + name + ", systemd will not see readiness: " + e);
            return disabled();
        }
    }

    /** A notifier that sends nothing. */
    public static Notifier disabled() {
        return new Notifier(null, null, null, -1);
    }

    /**
     * Opens a datagram socket that sends to {@code socketName} (a path, or {@code @name} for the
     * abstract namespace).
     */
    public static Notifier connect(String socketName) {
        SockaddrUn address = SockaddrUn.of(socketName);
        LibC libc = LibC.load();
        int fd = libc.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        return new Notifier(libc, address, socketName, fd);
    }

    public boolean enabled() {
        return fd >= 0;
    }

    /** The service is up: config loaded and pipelines running. */
    public boolean ready(String status) {
        return send("READY=1", "STATUS=" + oneLine(status));
    }

    /** A reload started; {@link #ready} ends it. */
    public boolean reloading(String status) {
        return send("RELOADING=1", "STATUS=" + oneLine(status));
    }

    public boolean status(String status) {
        return send("STATUS=" + oneLine(status));
    }

    public boolean watchdog() {
        return send("WATCHDOG=1");
    }

    public boolean stopping(String status) {
        return send("STOPPING=1", "STATUS=" + oneLine(status));
    }

    /**
     * Sends the assignments as one datagram.
     *
     * @return true when sent, false when disabled or the send failed (the failure is logged once
     *     per run of failures, so a vanished socket does not flood the log)
     */
    public boolean send(String... assignments) {
        if (!enabled()) {
            return false;
        }
        byte[] message = String.join("\n", assignments).getBytes(StandardCharsets.UTF_8);
        try {
            libc.sendto(fd, message, new NativeLong(message.length), 0, address, address.length());
            lastSendFailed = false;
            return true;
        } catch (LastErrorException e) {
            if (!lastSendFailed) {
                LOG.warning("sd_notify to " + socketName + " failed (errno " + e.getErrorCode() + "): "
                        + e.getMessage() + "; dropped: " + String.join(" ", assignments));
            }
            lastSendFailed = true;
            return false;
        }
    }

    /** STATUS= is one line: systemd shows the text up to the datagram's next newline as another key. */
    static String oneLine(String status) {
        return status.replaceAll("[\\r\\n]+", " ").strip();
    }

    @Override
    public void close() {
        if (enabled()) {
            libc.close(fd);
        }
    }
}

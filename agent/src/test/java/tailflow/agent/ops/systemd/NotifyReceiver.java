package tailflow.agent.ops.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The receiving end of sd_notify for tests: a real AF_UNIX datagram socket bound with JNA, the way
 * systemd binds its notify socket (Java's UnixDomainSocketAddress channels are stream-only).
 */
final class NotifyReceiver implements AutoCloseable {
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;

    interface TestLibC extends LibC {
        int bind(int fd, SockaddrUn addr, int addrlen) throws LastErrorException;

        NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

        int setsockopt(int fd, int level, int name, TimeVal value, int len) throws LastErrorException;
    }

    /** {@code struct timeval}: two longs, so 8 bytes on armv7 and 16 on x86_64. */
    @Structure.FieldOrder({"tv_sec", "tv_usec"})
    public static final class TimeVal extends Structure {
        public NativeLong tv_sec;
        public NativeLong tv_usec;
    }

    private final TestLibC libc = Native.load("c", TestLibC.class);
    private final int fd;
    final String name;

    NotifyReceiver(String name) {
        this.name = name;
        fd = libc.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        SockaddrUn addr = SockaddrUn.of(name);
        libc.bind(fd, addr, addr.length());
        TimeVal tv = new TimeVal();
        tv.tv_sec = new NativeLong(0);
        tv.tv_usec = new NativeLong(100_000);
        tv.write();
        libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, tv.size());
    }

    /** The next datagram, waiting at most {@code timeout}. */
    Optional<String> receive(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        byte[] buf = new byte[4096];
        while (Instant.now().isBefore(deadline)) {
            try {
                int n = libc.recv(fd, buf, new NativeLong(buf.length), 0).intValue();
                return Optional.of(new String(buf, 0, n, StandardCharsets.UTF_8));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EAGAIN) {
                    throw e;
                }
            }
        }
        return Optional.empty();
    }

    /** The next datagram that starts with {@code prefix}, skipping others (e.g. watchdog pings). */
    String next(String prefix, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> m = receive(Duration.between(Instant.now(), deadline));
            if (m.isPresent() && m.get().startsWith(prefix)) {
                return m.get();
            }
        }
        throw new AssertionError("no datagram starting with " + prefix + " within " + timeout);
    }

    @Override
    public void close() {
        libc.close(fd);
    }
}

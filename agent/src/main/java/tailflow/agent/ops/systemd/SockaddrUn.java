package tailflow.agent.ops.systemd;

import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code struct sockaddr_un}: a 16-bit family followed by 108 bytes of path. The layout is the same
 * on 32- and 64-bit Linux (no pointers, no longs), so no padding differs between armv7 and x86_64.
 *
 * <p>A leading {@code '@'} in the socket name selects the abstract namespace: the path then starts
 * with a NUL byte and is not NUL-terminated, and its length counts only the bytes given.
 */
@Structure.FieldOrder({"sun_family", "sun_path"})
public final class SockaddrUn extends Structure {
    static final int PATH_MAX = 108;
    private static final int PATH_OFFSET = 2;

    public short sun_family;
    public byte[] sun_path = new byte[PATH_MAX];

    private final int length;

    private SockaddrUn(byte[] path, int length) {
        sun_family = (short) LibC.AF_UNIX;
        System.arraycopy(path, 0, sun_path, 0, path.length);
        this.length = length;
        write();
    }

    /**
     * @param name a filesystem path, or {@code @name} for the abstract namespace
     * @throws IllegalArgumentException when the name is empty or does not fit into sun_path
     */
    public static SockaddrUn of(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty unix socket name");
        }
        boolean abstractName = name.charAt(0) == '@';
        byte[] bytes = (abstractName ? name.substring(1) : name).getBytes(StandardCharsets.UTF_8);
        byte[] path = new byte[bytes.length + 1];
        if (abstractName) {
            System.arraycopy(bytes, 0, path, 1, bytes.length); // path[0] stays NUL
        } else {
            System.arraycopy(bytes, 0, path, 0, bytes.length); // NUL-terminated
        }
        if (path.length > PATH_MAX) {
            throw new IllegalArgumentException("unix socket name longer than " + (PATH_MAX - 1) + " bytes: " + name);
        }
        // A path counts its terminating NUL; an abstract name counts its leading NUL and no
        // trailing one (a trailing NUL would become part of the name): the same arithmetic.
        return new SockaddrUn(path, PATH_OFFSET + path.length);
    }

    /** The {@code addrlen} to pass with this address. */
    public int length() {
        return length;
    }
}

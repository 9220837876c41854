package tailflow.agent.ops.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The few libc calls sd_notify and the signal set-up need. {@code size_t}/{@code ssize_t} are {@link NativeLong}
 * (4 bytes on armv7, 8 on x86_64/aarch64: Linux is ILP32 or LP64, where long has the width of
 * size_t); {@code socklen_t} is a 32-bit int everywhere.
 */
interface LibC extends Library {
    /** Same value on x86, x86_64, arm and aarch64 (generic Linux ABI; MIPS differs and is not a target). */
    int AF_UNIX = 1;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000; // O_CLOEXEC (02000000 octal) on the architectures above

    static LibC load() {
        return Native.load("c", LibC.class);
    }

    int socket(int domain, int type, int protocol) throws LastErrorException;

    NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, SockaddrUn addr, int addrlen)
            throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /** Reads (act = null) a signal's disposition into {@code oldact}, a {@code struct sigaction}. */
    int sigaction(int signum, com.sun.jna.Pointer act, com.sun.jna.Pointer oldact) throws LastErrorException;
}

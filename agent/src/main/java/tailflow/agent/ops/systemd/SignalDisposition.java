package tailflow.agent.ops.systemd;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.util.Optional;

/**
 * Whether a signal is ignored in this process, read with {@code sigaction(2)}. A JVM started with
 * SIGHUP ignored ({@code nohup}, some supervisors) keeps it ignored: the JVM refuses to install a
 * handler for it, so {@code sun.misc.Signal.handle} "succeeds" and the signal never arrives.
 */
final class SignalDisposition {
    static final int SIGHUP = 1; // the same on every Linux architecture
    /** {@code SIG_IGN} is {@code (void (*)(int)) 1} in glibc. */
    private static final long SIG_IGN = 1;
    /**
     * Bigger than any {@code struct sigaction} (152 bytes on x86_64, 140 on armhf). The handler is
     * its first member on x86, x86_64, arm and aarch64 (MIPS differs and is not a target).
     */
    private static final int STRUCT_BYTES = 512;

    private SignalDisposition() {}

    /** True when {@code signal} is ignored; empty when libc could not be asked (no JNA, seccomp). */
    static Optional<Boolean> ignored(int signal) {
        try {
            Memory old = new Memory(STRUCT_BYTES);
            old.clear();
            LibC.load().sigaction(signal, null, old);
            long handler = Native.POINTER_SIZE == 8 ? old.getLong(0) : old.getInt(0) & 0xffffffffL;
            return Optional.of(handler == SIG_IGN);
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }
}

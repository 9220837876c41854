package tailflow.agent.dryrun;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.util.Locale;

/**
 * The machine's architecture as {@code uname -m} says it (x86_64, armv7l, aarch64): the word hosts,
 * bundles and inventories use. Asked from uname(2) because Java's os.arch says "arm" on armv7, and
 * /proc/sys/kernel/arch is the host's under qemu-user; os.arch (mapped) is only the fallback.
 */
public final class Machine {
    /** struct utsname on Linux: six char[65] fields; machine is the fifth. */
    private static final int UTS_FIELD = 65;
    private static final int UTS_MACHINE = 4;

    interface Uname extends Library {
        int uname(Memory buf);
    }

    private Machine() {}

    /** uname(2)'s machine field, or os.arch mapped to uname's words when uname cannot be called. */
    public static String arch() {
        try {
            Memory buf = new Memory(6L * UTS_FIELD);
            buf.clear();
            if (Native.load("c", Uname.class).uname(buf) == 0) {
                String machine = buf.getString((long) UTS_MACHINE * UTS_FIELD);
                if (!machine.isEmpty()) {
                    return machine;
                }
            }
        } catch (LinkageError | RuntimeException e) {
            // JNA unavailable (its native part failed to load): the mapped os.arch is close enough
        }
        return unameArch(System.getProperty("os.arch"));
    }

    /** Java's os.arch to uname -m: amd64 -> x86_64, arm -> armv7l, aarch64 stays. */
    public static String unameArch(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "arm", "armv7", "armv7l", "armhf" -> "armv7l";
            case "x86", "i386", "i486", "i586", "i686" -> "i686";
            default -> javaArch;
        };
    }
}

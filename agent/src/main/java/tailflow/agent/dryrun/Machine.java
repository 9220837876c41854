package tailflow.agent.dryrun;

import java.util.Locale;

/** The machine's architecture in uname -m's words, which is what hosts, bundles and inventories use. */
public final class Machine {
    private Machine() {}

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

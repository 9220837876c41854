package tailflow.agent.dryrun;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tailflow.agent.sflow.Libpcap;

/**
 * Whether the native pieces packet sampling needs (JNA, libpcap) load here, with their versions.
 * Call before anything else touches JNA: only the first failure carries the reason (the missing
 * linux-arm/libjnidispatch.so, say); later uses just say the class could not be initialized.
 */
final class NativeLibraries {
    private NativeLibraries() {}

    static Map<String, String> status() {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            // Native.VERSION* are compile-time constants (inlined, no class loading): POINTER_SIZE is
            // read from the native dispatch library, so this line proves that library loaded.
            int pointerSize = com.sun.jna.Native.POINTER_SIZE;
            m.put("jna", "ok " + com.sun.jna.Native.VERSION + " native " + com.sun.jna.Native.VERSION_NATIVE
                    + " (" + com.sun.jna.Platform.RESOURCE_PREFIX + ", " + pointerSize * 8 + "-bit pointers, "
                    + com.sun.jna.Native.LONG_SIZE * 8 + "-bit long)");
        } catch (Throwable e) {
            // LinkageError when JNA's native part does not load (wrong arch, noexec /tmp); the dry run still completes
            m.put("jna", "unavailable: " + describe(e));
            m.put("libpcap", "unavailable: needs JNA");
            return m;
        }
        String[] why = new String[1];
        // The same lookup the sampler does, so a dry run finds exactly the libpcap a real run would.
        Optional<Libpcap> pcap = Libpcap.load(why);
        if (pcap.isEmpty()) {
            m.put("libpcap", "unavailable: " + why[0]);
            return m;
        }
        try {
            m.put("libpcap", "ok " + org.pcap4j.core.Pcaps.libVersion() + " (" + pcap.get().name() + ")");
        } catch (Throwable e) {
            m.put("libpcap", "unavailable: " + describe(e));
        }
        return m;
    }

    private static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            out.append("; caused by ").append(c);
        }
        return out.toString();
    }
}

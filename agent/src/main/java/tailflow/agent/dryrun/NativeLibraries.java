package tailflow.agent.dryrun;

import java.util.LinkedHashMap;
import java.util.Map;

/** Whether the native pieces packet sampling needs (JNA, libpcap) load on this machine. */
final class NativeLibraries {
    /** The property pcap4j loads libpcap by; the launcher sets it where only libpcap.so.0.8 exists. */
    private static final String PCAP_LIB_PROPERTY = "org.pcap4j.core.pcapLibName";

    private NativeLibraries() {}

    static Map<String, String> status() {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            // Native.VERSION* are compile-time constants (inlined, no class loading): POINTER_SIZE is
            // read from the native dispatch library, so this line proves that library loaded.
            int pointerSize = com.sun.jna.Native.POINTER_SIZE;
            m.put("jna", "ok " + com.sun.jna.Native.VERSION_NATIVE + " (" + com.sun.jna.Platform.RESOURCE_PREFIX
                    + ", " + pointerSize * 8 + "-bit pointers, " + com.sun.jna.Native.LONG_SIZE * 8 + "-bit long)");
        } catch (Throwable e) {
            // LinkageError when JNA's native part does not load (wrong arch, noexec /tmp)
            m.put("jna", "unavailable: " + e);
            m.put("libpcap", "unknown (needs JNA)");
            return m;
        }
        String name = System.getProperty(PCAP_LIB_PROPERTY, "pcap");
        try {
            m.put("libpcap", "ok " + com.sun.jna.NativeLibrary.getInstance(name).getFile());
        } catch (Throwable e) {
            m.put("libpcap", "missing (" + name + "): install libpcap (Debian: apt-get install libpcap0.8); packet sampling is off without it");
        }
        return m;
    }
}

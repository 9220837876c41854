package tailflow.agent.dryrun;

import java.util.LinkedHashMap;
import java.util.Map;

/** Whether the native pieces packet sampling needs (JNA, libpcap) load on this machine. */
final class NativeLibraries {
    private NativeLibraries() {}

    static Map<String, String> status() {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            m.put("jna", "ok " + com.sun.jna.Native.VERSION_NATIVE);
        } catch (Throwable e) {
            // LinkageError when JNA's native part does not load (wrong arch, noexec /tmp)
            m.put("jna", "unavailable: " + e);
            m.put("libpcap", "unknown (needs JNA)");
            return m;
        }
        try {
            m.put("libpcap", "ok " + com.sun.jna.NativeLibrary.getInstance("pcap").getFile());
        } catch (Throwable e) {
            m.put("libpcap", "missing: install libpcap (Debian: apt-get install libpcap0.8); packet sampling is off without it");
        }
        return m;
    }
}

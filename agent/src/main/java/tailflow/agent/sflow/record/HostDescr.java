package tailflow.agent.sflow.record;

import java.util.Arrays;
import tailflow.agent.sflow.xdr.XdrWriter;

/**
 * 0:2000 host description.
 *
 * @param uuid        16 bytes (from /etc/machine-id), written without a length prefix
 * @param machineType 2 x86, 3 x86_64, 10 arm (32-bit), 0 unknown (hsflowd's choice for aarch64)
 * @param osName      2 linux
 */
public record HostDescr(String hostname, byte[] uuid, int machineType, int osName, String osRelease)
        implements CounterRecord {
    public static final int TAG = 2000;
    public static final int MACHINE_UNKNOWN = 0;
    public static final int MACHINE_X86 = 2;
    public static final int MACHINE_X86_64 = 3;
    public static final int MACHINE_ARM = 10;
    public static final int OS_LINUX = 2;

    public HostDescr {
        if (uuid.length != 16) {
            throw new IllegalArgumentException("uuid must be 16 bytes, got " + uuid.length);
        }
    }

    @Override
    public int tag() {
        return TAG;
    }

    @Override
    public void writeBody(XdrWriter w) {
        w.string(hostname, 64).fixed(uuid, 0, 16).u32(machineType).u32(osName).string(osRelease, 32);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostDescr h && h.hostname.equals(hostname) && Arrays.equals(h.uuid, uuid)
                && h.machineType == machineType && h.osName == osName && h.osRelease.equals(osRelease);
    }

    @Override
    public int hashCode() {
        return hostname.hashCode() * 31 + Arrays.hashCode(uuid);
    }

    @Override
    public String toString() {
        return "HostDescr[" + hostname + ", machineType=" + machineType + ", osRelease=" + osRelease + "]";
    }
}
